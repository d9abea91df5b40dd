package dev.relay.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /apiStats/api/get-key-id} against fixture 23, and its limit on failed look-ups (the legacy has none). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ApiStatsLookupTest extends AdminTestBase {
    static final String UNKNOWN = "cr_ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    static io.restassured.response.ValidatableResponse lookup(String body) {
        return given().contentType("application/json").body(body).post("/apiStats/api/get-key-id").then();
    }

    @Test
    void answersAsTheLegacy() {
        RelayWorld world = new RelayWorld(redis);
        RelayWorld.SeededKey key = world.key(Map.of("name", "fs-key-a"));
        RelayWorld.SeededKey disabled = world.key(Map.of("name", "stats-disabled-key", "isActive", "false"));
        lookup("{\"apiKey\":\"" + key.raw() + "\"}").statusCode(200).body("success", is(true)).body("data.id", is(key.id()));
        lookup("{}").statusCode(400).body("error", is("API Key is required")).body("message", is("Please provide your API Key"));
        lookup("{\"apiKey\":\"cr_abc\"}").statusCode(400).body("error", is("Invalid API key format"));
        lookup("{\"apiKey\":\"" + UNKNOWN + "\"}").statusCode(401).body("error", is("Invalid API key"))
                .body("message", is("API key not found"));
        lookup("{\"apiKey\":\"" + disabled.raw() + "\"}").statusCode(401)
                .body("message", is("API Key \"stats-disabled-key\" 已被禁用"));
    }

    @Test
    void guessingKeysIsStoppedWith429() {
        RelayWorld.SeededKey key = new RelayWorld(redis).key(Map.of());
        for (int i = 0; i < 20; i++) {
            lookup("{\"apiKey\":\"" + UNKNOWN + "\"}").statusCode(401);
        }
        lookup("{\"apiKey\":\"" + key.raw() + "\"}").statusCode(429).body("error", is("Too many requests"))
                .header("Retry-After", matchesPattern("[1-9][0-9]*"));
        redis.call("DEL", "relay:apistats_lookup:ip:127.0.0.1");
        lookup("{\"apiKey\":\"" + key.raw() + "\"}").statusCode(200);
        for (int i = 0; i < 19; i++) {
            lookup("{\"apiKey\":\"" + UNKNOWN + "\"}").statusCode(401);
        }
        lookup("{\"apiKey\":\"" + key.raw() + "\"}").statusCode(200);
        lookup("{\"apiKey\":\"" + UNKNOWN + "\"}").statusCode(401);
    }
}
