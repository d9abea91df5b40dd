package dev.relay.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.fake.FakeAnthropic;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's first steps: log in, add a Console account and a key with the admin API, and the key relays a
 * request to the account's upstream (a fake Anthropic).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class AdminOnboardingTest extends AdminTestBase {
    static FakeAnthropic upstream;

    @Inject
    ConsoleAccountPool pool;

    @BeforeAll
    static void startUpstream() {
        upstream = new FakeAnthropic();
        upstream.start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @Test
    void aNewcomerAddsAnAccountAndAKeyAndRelays() {
        String token = login();
        as(token).contentType("application/json")
                .body("{\"name\":\"my-console\",\"apiUrl\":\"" + upstream.baseUrl() + "\",\"apiKey\":\"sk-ant-api03-mine\"}")
                .post("/admin/claude-console-accounts").then().statusCode(200);
        String raw = as(token).contentType("application/json").body("{\"name\":\"my-key\"}").post("/admin/api-keys")
                .then().statusCode(200).extract().path("data.apiKey");
        TestRedis.await(pool.reload());

        given().header("x-api-key", raw).contentType("application/json")
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/api/v1/messages").then().statusCode(200).body("type", is("message"));
        assertEquals("sk-ant-api03-mine", upstream.lastRequest().header("x-api-key"));
    }
}
