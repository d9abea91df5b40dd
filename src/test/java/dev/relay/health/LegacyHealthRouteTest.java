package dev.relay.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class LegacyHealthRouteTest {

    @Test
    void unhealthyWithoutAnActiveOAuthAccountAndHealthyWithOne() {
        try (TestRedis redis = new TestRedis().flush()) {
            given().get("/api/health").then().statusCode(503)
                    .body("status", is("unhealthy")).body("service", is("claude-relay-service"))
                    .body("healthy", is(false)).body("totalAccounts", is(0));
            redis.call("HSET", "claude:account:a1", "id", "a1", "name", "n", "isActive", "true", "status", "active");
            redis.call("HSET", "claude:account:a2", "id", "a2", "name", "m", "isActive", "true", "status", "error");
            given().get("/claude/health").then().statusCode(200)
                    .body("status", is("healthy")).body("activeAccounts", is(1)).body("totalAccounts", is(2));
        }
    }
}
