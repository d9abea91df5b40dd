package dev.relay.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The optional queue for keys at their concurrency limit (relay.md §3.4; fixture 08 queue steps). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ConcurrencyQueueTest extends RelayTestBase {
    static final String BODY = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    void queueOn(String extra) {
        relayConfig("{\"concurrentRequestQueueEnabled\":true" + extra + "}");
    }

    Response send(String rawKey) {
        return given().header("x-api-key", rawKey).contentType("application/json").body(BODY)
                .when().post("/api/v1/messages");
    }

    CompletableFuture<Response> holdTheOnlySlot(String rawKey) throws Exception {
        upstream.nextReplies(Reply.ok().delayMs(1500));
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> send(rawKey));
        long deadline = System.currentTimeMillis() + 5000;
        while (upstream.inFlight() < 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        return first;
    }

    @Test
    void aQueuedRequestWaitsForTheSlotAndIsCounted() throws Exception {
        var key = world.key(Map.of("concurrencyLimit", "1"));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        queueOn("");
        CompletableFuture<Response> first = holdTheOnlySlot(key.raw());

        Response queued = send(key.raw());

        assertEquals(200, queued.statusCode(), queued.asString());
        assertEquals("close", queued.header("Connection"));
        assertEquals(200, first.get().statusCode());
        assertEquals("1", redis.call("HGET", "concurrency:queue:stats:" + key.id(), "entered").toString());
        assertEquals("1", redis.call("HGET", "concurrency:queue:stats:" + key.id(), "success").toString());
        assertEquals(1, redis.call("LLEN", "concurrency:queue:wait_times:" + key.id()).toLong());
        assertEquals(1, redis.call("LLEN", "concurrency:queue:wait_times:global").toLong());
        assertTrue(Long.parseLong(redis.call("LINDEX", "concurrency:queue:wait_times:" + key.id(), "0").toString()) > 500);
        assertEquals(0, redis.call("EXISTS", "concurrency:queue:" + key.id()).toLong(), "queue counter left");
    }

    @Test
    void aFullQueueAndATimeoutAnswerTheLegacyBodies() throws Exception {
        var key = world.key(Map.of("concurrencyLimit", "1"));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        queueOn(",\"concurrentRequestQueueMaxSize\":1,\"concurrentRequestQueueTimeoutMs\":600");
        CompletableFuture<Response> first = holdTheOnlySlot(key.raw());
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> send(key.raw()));
        long deadline = System.currentTimeMillis() + 3000;
        while (redis.call("GET", "concurrency:queue:" + key.id()) == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }

        Response full = send(key.raw());
        assertEquals(429, full.statusCode());
        assertEquals("1", full.header("Retry-After"));
        assertEquals(new JsonObject().put("error", "Concurrency queue full")
                .put("message", "Too many requests waiting in queue. Limit: 1 concurrent requests, queue: 1/1, timeout: 1s")
                .put("currentConcurrency", 1).put("concurrencyLimit", 1).put("queueCount", 1).put("maxQueueSize", 1)
                .put("queueTimeoutMs", 600).put("retryAfterSeconds", 1), new JsonObject(full.asString()));

        Response timedOut = waiting.get();
        assertEquals(429, timedOut.statusCode());
        assertEquals("5", timedOut.header("Retry-After"));
        JsonObject body = new JsonObject(timedOut.asString());
        assertEquals("Queue timeout", body.getString("error"));
        assertTrue(body.getString("message").startsWith(
                "Request timed out waiting for concurrency slot. Limit: 1 concurrent requests, maxQueue: 1, Queue timeout: 1s, waited: "));
        assertTrue(body.getLong("waitTimeMs") >= 600);
        // the stats are counted as the answer leaves: wait for the write instead of racing it
        assertEquals("1", String.valueOf(RelayFlow.eventually(
                () -> redis.call("HGET", "concurrency:queue:stats:" + key.id(), "timeout"))));
        assertEquals(200, first.get().statusCode());
        assertEquals(0, redis.call("EXISTS", "concurrency:queue:" + key.id()).toLong(), "queue counter left");
    }
}
