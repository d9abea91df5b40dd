package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.keyOf;
import static dev.relay.gateway.RelayFlow.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CCR accounts (relay.md §4.2 step 2, §5.4): only a {@code ccr,} model reaches them, with the prefix removed; they
 * are called like Console accounts and marked in their own fields.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class CcrRelayTest extends RelayTestBase {
    RelayWorld.SeededKey key;
    String console;
    String ccr;

    @BeforeEach
    void seed() {
        key = world.key(Map.of());
        console = world.consoleAccount(upstream.baseUrl(), 50, Map.of());
        ccr = world.ccrAccount(upstream.baseUrl(), 1, Map.of());
        reloadAccounts();
    }

    static String body(String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"c\"}]}";
    }

    @Test
    void onlyCcrModelsReachCcrAccountsAndThePrefixIsRemoved() {
        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());
        assertEquals(keyOf(console), upstream.requests().get(0).header("x-api-key"), "a plain model skips CCR");

        Response answer = post("/api/v1/messages", key.raw(), body("ccr," + RelayFlow.MODEL));

        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(keyOf(ccr), upstream.requests().get(1).header("x-api-key"));
        assertEquals(RelayFlow.MODEL, upstream.requests().get(1).json().get("model").asText());
        assertEquals("/v1/messages", upstream.requests().get(1).path());
    }

    @Test
    void aRateLimitedCcrAccountIsMarkedInItsOwnFieldsAndLeftOut() {
        upstream.nextReplies(Reply.status(429));

        post("/api/v1/messages", key.raw(), body("ccr," + RelayFlow.MODEL));

        var fields = redis.call("HGETALL", "ccr_account:" + ccr);
        assertEquals("rate_limited", fields.get("status").toString());
        assertEquals("active", fields.get("rateLimitStatus").toString());
        Response next = post("/api/v1/messages", key.raw(), body("ccr," + RelayFlow.MODEL));
        assertEquals(500, next.statusCode(), "no other CCR account: the legacy's no-account answer");
        assertEquals(1, upstream.requests().size());
        assertNull(redis.call("GET", "temp_unavailable:claude-console:" + console));
    }

    @Test
    void countTokensIsNotSupportedOnCcr() {
        Response answer = post("/api/v1/messages/count_tokens", key.raw(), body("ccr," + RelayFlow.MODEL));

        assertEquals(501, answer.statusCode());
        assertEquals("not_supported", answer.jsonPath().getString("error.type"));
        assertEquals(0, upstream.requests().size());
    }
}
