package dev.relay.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.Reply;
import dev.relay.store.UserMessageLocks;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The optional user-message queue (relay.md §5.2 step 1, redis-keys.md §4.1 L11/L12), shared with the legacy. */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class UserMessageQueueTest extends RelayTestBase {
    static final String TOOL_RESULT = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,\"messages\":["
            + "{\"role\":\"user\",\"content\":\"run it\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\","
            + "\"id\":\"t1\",\"name\":\"x\",\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
            + "\"tool_use_id\":\"t1\",\"content\":\"done\"}]}]}";

    void queueOn(String extra) {
        relayConfig("{\"userMessageQueueEnabled\":true" + extra + "}");
    }

    static Response post(String rawKey, String body) {
        return given().header("x-api-key", rawKey).contentType("application/json").body(body)
                .when().post("/api/v1/messages");
    }

    /** Sends both at once; returns each request's duration in ms. */
    static List<Long> concurrently(String rawKey, String body) {
        List<CompletableFuture<Long>> calls = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(() -> {
            long start = System.currentTimeMillis();
            post(rawKey, body).then().statusCode(200);
            return System.currentTimeMillis() - start;
        })).toList();
        return calls.stream().map(CompletableFuture::join).sorted().toList();
    }

    @Test
    void userTurnsOfOneAccountReachItOneAfterAnotherWithTheGap() {
        var key = world.key(Map.of());
        String account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        queueOn(",\"userMessageQueueDelayMs\":400");
        upstream.defaultReply(Reply.ok().delayMs(300));

        List<Long> took = concurrently(key.raw(), RelayFlow.body(false, "hello", null));

        // the second waits for the first's answer (300 ms) and then the gap (400 ms) before its own 300 ms
        assertTrue(took.get(1) - took.get(0) >= 600, "second waited for its turn: " + took);
        // as in the legacy, the answer goes out only once the lock is back: a follow-up never finds it held
        assertEquals(0, redis.call("EXISTS", UserMessageLocks.lockKey(account)).toLong(), "lock given back");
        assertTrue(redis.call("TTL", UserMessageLocks.lastKey(account)).toLong() > 0, "end of the last turn kept");
    }

    @Test
    void toolResultsAndAQueueThatIsOffDoNotWait() {
        var key = world.key(Map.of());
        String account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.defaultReply(Reply.ok().delayMs(500));

        List<Long> off = concurrently(key.raw(), RelayFlow.body(false, "hello", null));
        assertTrue(off.get(1) - off.get(0) < 300, "queue off: both at once " + off);

        queueOn(",\"userMessageQueueDelayMs\":400");
        List<Long> tools = concurrently(key.raw(), TOOL_RESULT);
        assertTrue(tools.get(1) - tools.get(0) < 300, "tool results are not user turns: " + tools);
        assertEquals(0, redis.call("EXISTS", UserMessageLocks.lastKey(account)).toLong(), "no turn was taken");
    }

    @Test
    void aTurnNotGotInTimeGetsTheLegacyAnswerAndNothingReachesTheAccount() {
        var key = world.key(Map.of());
        String account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        queueOn(",\"userMessageQueueTimeoutMs\":300");
        // a legacy instance is sending a user turn on this account
        redis.call("SET", UserMessageLocks.lockKey(account), "legacy-request", "PX", "10000");

        Response json = post(key.raw(), RelayFlow.body(false, "hello", null));
        json.then().statusCode(503).header("x-user-message-queue-error", "queue_timeout");
        JsonObject error = new JsonObject(json.asString()).getJsonObject("error");
        assertEquals("queue_timeout", error.getString("type"));
        assertEquals("QUEUE_TIMEOUT", error.getString("code"));
        assertEquals("User message queue wait timeout, please retry later", error.getString("message"));

        Response stream = post(key.raw(), RelayFlow.body(true, "hello", null));
        stream.then().statusCode(503).header("x-user-message-queue-error", "queue_timeout")
                .contentType("text/event-stream");
        assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"queue_timeout\","
                + "\"code\":\"QUEUE_TIMEOUT\",\"message\":\"User message queue wait timeout, please retry later\"}}"
                + "\n\ndata: [DONE]\n\n", stream.asString());

        assertEquals(0, upstream.requests().size(), "nothing sent upstream");
        assertEquals("legacy-request", redis.call("GET", UserMessageLocks.lockKey(account)).toString());
        assertEquals(0, redis.call("EXISTS", "usage:" + key.id()).toLong(), "nothing billed");
    }
}
