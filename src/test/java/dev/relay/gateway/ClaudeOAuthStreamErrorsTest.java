package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.string;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.FakeTokenEndpoint;
import dev.relay.fake.Reply;
import dev.relay.testsupport.OAuthTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An OAuth upstream error on a stream request (relay.md §6.1, §12.1): the legacy sends HTTP 200 and an SSE
 * {@code error} event; no fixture records that case, and relay keeps the upstream's status and JSON body, as for
 * Console accounts, so clients retry and re-authenticate by status (docs/redis-compat.md entry 27). The account
 * marks are those of the non-stream case.
 */
@QuarkusTest
@QuarkusTestResource(OAuthTestResource.class)
class ClaudeOAuthStreamErrorsTest extends RelayTestBase {
    static final FakeAnthropic API = OAuthTestResource.API;
    static final FakeTokenEndpoint TOKENS = OAuthTestResource.TOKENS;

    String oauth;
    RelayWorld.SeededKey key;

    @BeforeEach
    void seed() {
        API.reset();
        TOKENS.reset();
        oauth = UUID.randomUUID().toString();
        world.oauthAccount(oauth, 10, "sk-ant-oat01-valid", "sk-ant-ort01-valid",
                System.currentTimeMillis() + 3_600_000, Map.of("scopes", "user:inference"));
        key = world.key(Map.of("claudeAccountId", oauth));
        reloadAccounts();
    }

    @AfterEach
    void removeOAuthAccounts() {
        redis.flush();
    }

    Response streamRequest() {
        return given().header("x-api-key", key.raw()).contentType("application/json")
                .body(RelayFlow.body(true, "hi", null)).when().post("/api/v1/messages");
    }

    static void assertJsonError(Response response, int status, String type) {
        assertEquals(status, response.statusCode(), response.asString());
        assertTrue(response.getHeader("Content-Type").startsWith("application/json"), "an error, not a stream");
        assertFalse(response.asString().contains("event: error"));
        assertEquals(type, new JsonObject(response.asString()).getJsonObject("error").getString("type"));
    }

    @Test
    void aServerErrorKeepsItsStatusAndMarksTheAccountAsANonStreamRequestWould() {
        API.nextReplies(Reply.status(500));

        Response response = streamRequest();

        assertJsonError(response, 500, "api_error");
        assertEquals("1", string(redis, "claude_account:" + oauth + ":5xx_errors"));
        assertEquals("1", string(redis, "temp_unavailable:claude-official:" + oauth));
    }

    @Test
    void aRefusedTokenAfterTheRefreshAnswers401AndMarksTheAccountUnauthorized() {
        API.nextReplies(Reply.status(401), Reply.status(401));

        Response response = streamRequest();

        assertJsonError(response, 401, "authentication_error");
        assertEquals(1, TOKENS.calls());
        var status = redis.call("HGET", "claude:account:" + oauth, "status");
        assertEquals("unauthorized", status.toString());
    }

    @Test
    void aRefusedTokenIsRefreshedAndTheStreamServed() {
        API.nextReplies(Reply.status(401));

        Response response = streamRequest();

        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(response.getHeader("Content-Type").startsWith("text/event-stream"));
        assertTrue(response.asString().contains("event: message_stop"), response.asString());
        assertEquals(1, TOKENS.calls());
    }

    @Test
    void aRateLimitOnTheDedicatedAccountAnswersTheLegacys403() {
        API.nextReplies(Reply.status(429).rateLimitReset(Instant.now().plusSeconds(3600).getEpochSecond()));

        Response response = streamRequest();

        assertEquals(403, response.statusCode(), response.asString());
        assertEquals("upstream_rate_limited", new JsonObject(response.asString()).getString("error"));
        assertEquals("limited", redis.call("HGET", "claude:account:" + oauth, "rateLimitStatus").toString());
    }
}
