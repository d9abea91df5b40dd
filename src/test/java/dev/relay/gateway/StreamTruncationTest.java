package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static dev.relay.gateway.RelayFlow.field;
import static dev.relay.gateway.RelayFlow.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld.SeededKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wire facts tested here: once the gateway has sent {@code 200 text/event-stream}, an upstream that drops the
 * connection mid-stream cannot change the status any more, so the client sees the events forwarded so far and
 * then one terminal {@code event: error} frame carrying Anthropic's error JSON
 * {@code {"type":"error","error":{"type":"api_error","message":..}}} before the chunked response ends normally; a
 * stream that reached {@code message_stop} gets no such frame. When the CLIENT drops the connection, the gateway
 * gives the key's concurrency slot ({@code concurrency:<keyId>} ZSET member) back at once and bills the usage
 * seen so far (input from {@code message_start}) exactly once (relay.md §6.2, §6.5).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class StreamTruncationTest extends RelayTestBase {
    static final ObjectMapper JSON = new ObjectMapper();


    record Event(String name, String data) {
    }

    static List<Event> events(String sse) {
        List<Event> events = new ArrayList<>();
        for (String frame : sse.split("\n\n")) {
            String name = null;
            String data = null;
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            if (name != null || data != null) {
                events.add(new Event(name, data));
            }
        }
        return events;
    }

    @Test
    void upstreamCutMidStreamEndsWithAnErrorEventAndBillsThePartialUsageOnce() throws Exception {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.ok().cutAfter(4));

        Response response = post("/api/v1/messages", key.raw(), body(true, "cut", null));

        assertEquals(200, response.statusCode());
        List<Event> events = events(response.asString());
        assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "error"),
                events.stream().map(Event::name).toList(), response.asString());
        JsonNode error = JSON.readTree(events.get(4).data());
        assertEquals("error", error.get("type").asText());
        assertEquals("api_error", error.get("error").get("type").asText());
        assertFalse(error.get("error").get("message").asText().isBlank());

        assertEquals("1", field(redis, "usage:" + key.id(), "totalRequests"));
        assertEquals("1200", redis.call("HGET", "usage:" + key.id(), "totalInputTokens").toString());
        assertEquals("0", redis.call("HGET", "usage:" + key.id(), "totalOutputTokens").toString());
        assertBilledOnceBeforeTheNextRequest(key);
    }

    /**
     * Usage is written in order, so once a following request's usage is in Redis, a second bill of the request
     * before it would be there too: the totals are the cut stream's (input only) plus the next request's, once each.
     */
    void assertBilledOnceBeforeTheNextRequest(SeededKey key) {
        post("/api/v1/messages", key.raw(), body(false, "after", null)).then().statusCode(200);
        String usage = "usage:" + key.id();
        // the cut stream had no output tokens: 345 of them are the following request's usage arriving
        assertEquals("345", RelayFlow.eventually(
                () -> "345".equals(String.valueOf(redis.call("HGET", usage, "totalOutputTokens"))) ? "345" : null));
        assertEquals("2", redis.call("HGET", usage, "totalRequests").toString(),
                "the cut stream was billed once, the following request once");
        assertEquals("2400", redis.call("HGET", usage, "totalInputTokens").toString());
        assertEquals(2, redis.call("LLEN", "usage:records:" + key.id()).toLong());
    }

    @Test
    void completeStreamHasNoErrorEvent() {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        Response response = post("/api/v1/messages", key.raw(), body(true, "whole", null));

        List<String> names = events(response.asString()).stream().map(Event::name).toList();
        assertFalse(names.contains("error"), names.toString());
        assertEquals("message_stop", names.get(names.size() - 1));
        assertEquals(16, names.size(), "message_start, block start, ping, 10 deltas, block stop, delta, stop");
        assertEquals("345", field(redis, "usage:" + key.id(), "totalOutputTokens"));
        assertEquals("1", redis.call("HGET", "usage:" + key.id(), "totalRequests").toString());
    }

    @Test
    void anErrorEventSentByTheUpstreamIsNotDoubled() {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.ok().streamError(5, "overloaded_error", "Overloaded"));

        Response response = post("/api/v1/messages", key.raw(), body(true, "in-stream error", null));

        List<Event> events = events(response.asString());
        List<String> names = events.stream().map(Event::name).toList();
        assertEquals(1, names.stream().filter("error"::equals).count(), names.toString());
        assertEquals("error", names.get(names.size() - 1));
        assertTrue(events.get(events.size() - 1).data().contains("overloaded_error"));
    }

    @Test
    void clientDisconnectReleasesTheKeySlotAndBillsThePartialUsageOnce() throws Exception {
        var key = world.key(Map.of("concurrencyLimit", "1"));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.ok().chunks(30).eventDelayMs(100));
        String leases = "concurrency:" + key.id();

        byte[] payload = body(true, "slow", null).getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + key.raw()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            String seen = readUntil(socket.getInputStream(), "event: content_block_delta", 2);
            assertTrue(seen.startsWith("HTTP/1.1 200"), seen);
            assertEquals(1, redis.call("ZCARD", leases).toLong(), "the slot is held while streaming");
        }
        long closedAt = System.currentTimeMillis();
        while (redis.call("ZCARD", leases).toLong() > 0 && System.currentTimeMillis() - closedAt < 1000) {
            RelayFlow.sleep(10);
        }
        assertEquals(0, redis.call("ZCARD", leases).toLong(), "slot released within a second");

        assertEquals("1", field(redis, "usage:" + key.id(), "totalRequests"));
        assertEquals("1200", redis.call("HGET", "usage:" + key.id(), "totalInputTokens").toString());
        assertEquals("0", redis.call("HGET", "usage:" + key.id(), "totalOutputTokens").toString());

        // the limit is 1: a following request is admitted only because the slot came back
        assertBilledOnceBeforeTheNextRequest(key);
    }

    @Test
    void aClientThatStopsReadingStallsTheUpstreamInsteadOfFillingTheGatewaysMemory() throws Exception {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        int deltas = 40_000; // about 85 MB of events: far more than every socket buffer on the way together
        upstream.nextReplies(Reply.ok().chunks(deltas).text("x".repeat(2_000)));
        long before = upstream.eventsWritten();

        byte[] payload = body(true, "big", null).getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + key.raw()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("localhost", RestAssured.port));
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            readUntil(socket.getInputStream(), "event: content_block_delta", 1);

            // the client reads nothing: the upstream must be held back, not drained into the gateway
            long stalled = awaitUpstreamStalled(before);
            assertTrue(stalled < deltas / 2,
                    "upstream wrote " + stalled + " of " + deltas + " events to a stalled client");

            // reading again resumes the stream to its end
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            String tail = "";
            long deadline = System.currentTimeMillis() + 30_000;
            while (!tail.contains("event: message_stop") && System.currentTimeMillis() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                String chunk = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                tail = (tail + chunk).substring(Math.max(0, tail.length() + chunk.length() - 200));
            }
            assertTrue(tail.contains("event: message_stop"), "stream completed after the stall: " + tail);
        }
        assertEquals(deltas + 6, upstream.eventsWritten() - before); // start, block start, ping, deltas, stop, delta, stop
    }

    /**
     * Waits until the upstream's writer is held back by back-pressure and stays so, its count unchanged over three
     * polls (the gateway has taken what it buffers); returns the events written by then. A gateway that drains the
     * upstream into memory never gets there: the upstream writes on, or to its end.
     */
    static long awaitUpstreamStalled(long before) {
        long deadline = System.currentTimeMillis() + 15_000;
        long last = -1;
        int unchanged = 0;
        while (unchanged < 3) {
            long written = upstream.eventsWritten() - before;
            assertTrue(System.currentTimeMillis() < deadline, "the upstream never stalled; it wrote " + written
                    + " events, " + upstream.streamsHeldBack() + " stream(s) held back");
            RelayFlow.sleep(100);
            long now = upstream.eventsWritten() - before;
            unchanged = upstream.streamsHeldBack() == 1 && now == written ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Reads the raw response until {@code marker} was seen {@code times} times; returns what was read. */
    static String readUntil(InputStream in, String marker, int times) throws Exception {
        StringBuilder seen = new StringBuilder();
        byte[] buffer = new byte[4096];
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (seen.toString().split(marker, -1).length - 1 >= times) {
                return seen.toString();
            }
        }
        throw new AssertionError("marker not seen " + times + " times in: " + seen);
    }
}
