package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static dev.relay.gateway.RelayFlow.keyOf;
import static dev.relay.gateway.RelayFlow.post;
import static dev.relay.gateway.RelayFlow.servedBy;
import static dev.relay.gateway.RelayFlow.string;
import static dev.relay.gateway.RelayFlow.ttl;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.fake.Reply;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream failures before the first byte reached the client (relay.md §7.2; fixture 10 console-*): the account is
 * marked as the legacy marks it and the request fails over to the next account, at most 3 attempts.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class FailoverTest extends RelayTestBase {
    static final Path FIXTURE = Path.of("..", "shared", "legacy", "fixtures", "10-upstream-errors");
    static final String FIXTURE_ACCOUNT = "claude_console_account:d09be248-12ea-4668-bc07-7acdf40463d6";
    static final String MAPPING = "unified_claude_session_mapping:";

    RelayWorld.SeededKey key;

    @BeforeEach
    void seedKey() {
        key = world.key(Map.of());
    }

    static String session(String uuid) {
        return "user_" + "f1".repeat(32) + "_account__session_" + uuid;
    }

    /** Fields the fixture's step changed on the console account: field → after (null = removed). */
    static Map<String, String> fixtureChanges(String step) throws IOException {
        JsonNode diff = new ObjectMapper().readTree(FIXTURE.resolve("redis-" + step + ".json").toFile());
        JsonNode change = diff.get("changed").get(FIXTURE_ACCOUNT);
        JsonNode before = change.get("before").get("value");
        JsonNode after = change.get("after").get("value");
        Map<String, String> changed = new HashMap<>();
        for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!before.has(f) || !before.get(f).asText().equals(after.get(f).asText())) {
                changed.put(f, after.get(f).asText());
            }
        }
        return changed;
    }

    Map<String, String> account(String id) {
        Map<String, String> fields = new HashMap<>();
        var reply = redis.call("HGETALL", "claude_console_account:" + id);
        for (String k : reply.getKeys()) {
            fields.put(k, reply.get(k).toString());
        }
        return fields;
    }

    /** Every field the fixture changed is changed here too, to the same value where it is not a time. */
    void assertMarkedLikeFixture(String step, String accountId, Instant before) throws IOException {
        Map<String, String> expected = fixtureChanges(step);
        Map<String, String> actual = account(accountId);
        for (var e : expected.entrySet()) {
            String value = actual.get(e.getKey());
            assertTrue(value != null, step + ": field " + e.getKey() + " missing in " + actual);
            if (e.getKey().endsWith("At")) {
                Instant at = Instant.parse(value);
                assertFalse(at.isBefore(before.minusMillis(1)), e.getKey() + " " + value);
            } else if (e.getValue().startsWith("Rate limited at ")) {
                assertEquals("Rate limited at " + actual.get("rateLimitedAt"), value);
            } else {
                assertEquals(e.getValue(), value, step + ": " + e.getKey());
            }
        }
    }

    @Test
    void rateLimitedAccountIsMarkedSkippedAndTheRequestServedByTheNext() throws IOException {
        Instant before = Instant.now();
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        String second = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        String uuid = UUID.randomUUID().toString();
        upstream.nextReplies(Reply.status(429));

        post("/api/v1/messages?beta=true", key.raw(), body(false, "429", session(uuid)))
                .then().statusCode(200).body("usage.input_tokens", is(1200));

        assertEquals(2, upstream.requests().size());
        assertEquals(keyOf(first), servedBy(upstream, 0));
        assertEquals(keyOf(second), servedBy(upstream, 1));
        assertMarkedLikeFixture("console-429", first, before);
        assertEquals("{\"accountId\":\"" + second + "\",\"accountType\":\"claude-console\"}",
                string(redis, MAPPING + uuid), "the mapping points at the account that served");

        post("/api/v1/messages", key.raw(), body(false, "next", null)).then().statusCode(200);
        assertEquals(3, upstream.requests().size());
        assertEquals(keyOf(second), servedBy(upstream, 2), "the rate-limited account is skipped");
    }

    @Test
    void serverErrorMakesTheAccountTemporarilyUnavailable() {
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        String second = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(500));

        post("/api/v1/messages", key.raw(), body(true, "500", null)).then().statusCode(200);

        assertEquals(keyOf(second), servedBy(upstream, 1));
        String mark = "temp_unavailable:claude-console:" + first;
        assertEquals("1", string(redis, mark));
        long ttl = ttl(redis, mark);
        assertTrue(ttl > 290 && ttl <= 300, "TTL " + ttl);
        // the account hash itself is untouched apart from lastUsedAt (fixture 10 console-500)
        assertEquals("active", account(first).get("status"));
        assertEquals("true", account(first).get("schedulable"));

        post("/api/v1/messages", key.raw(), body(false, "next", null)).then().statusCode(200);
        assertEquals(keyOf(second), servedBy(upstream, 2), "the unavailable account is skipped");
    }

    @Test
    void overloadIsMarkedAndFailedOver() throws IOException {
        Instant before = Instant.now();
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        String second = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(529));

        post("/api/v1/messages", key.raw(), body(false, "529", null)).then().statusCode(200);

        assertEquals(keyOf(first), servedBy(upstream, 0));
        assertEquals(keyOf(second), servedBy(upstream, 1));
        assertMarkedLikeFixture("console-529", first, before);
    }

    @Test
    void whenEveryAccountFailsTheClientGetsTheLastStatusSanitized() throws Exception {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        world.consoleAccount(upstream.baseUrl(), 30, Map.of());
        world.consoleAccount(upstream.baseUrl(), 40, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(529), Reply.status(500),
                Reply.status(503).errorMessage("backend down, visit https://88code.example/status for details"));

        Response response = post("/api/v1/messages", key.raw(), body(false, "all fail", null));

        assertEquals(3, upstream.requests().size(), "at most 3 attempts");
        assertEquals(503, response.statusCode());
        JsonNode json = new ObjectMapper().readTree(response.asString());
        assertEquals("error", json.get("type").asText());
        assertEquals("api_error", json.get("error").get("type").asText());
        String message = json.get("error").get("message").asText();
        assertFalse(message.contains("http"), message);
        assertFalse(message.contains("88code"), message);
        assertTrue(message.startsWith("backend down"), message);
        assertFalse(json.has("model"), "issue 20: an upstream error goes out without the legacy's model stamp");
        // usage is written in order: once a following request's usage is in, a bill of the failed one would be too
        post("/api/v1/messages", key.raw(), body(false, "next", null)).then().statusCode(200);
        assertEquals("1200", RelayFlow.field(redis, "usage:" + key.id(), "totalInputTokens"));
        assertEquals("1", redis.call("HGET", "usage:" + key.id(), "totalRequests").toString(), "nothing billed");
    }

    @Test
    void unauthorizedIsMarkedAndNotFailedOver() throws Exception {
        Instant before = Instant.now();
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        String second = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(401));

        Response response = post("/api/v1/messages", key.raw(), body(false, "401", null));

        assertEquals(401, response.statusCode());
        assertEquals(1, upstream.requests().size());
        JsonNode fixtureBody = new ObjectMapper().readTree(FIXTURE.resolve("http.json").toFile())
                .get(9).get("response").get("body");
        assertEquals(withoutModelStamp(fixtureBody), new ObjectMapper().readTree(response.asString()));
        assertMarkedLikeFixture("console-401", first, before);

        post("/api/v1/messages", key.raw(), body(false, "next", null)).then().statusCode(200);
        assertEquals(keyOf(second), servedBy(upstream, 1), "the unauthorized account is skipped");
    }

    @Test
    void refusedConnectionFailsOverToAWorkingAccount() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String dead = world.consoleAccount("http://127.0.0.1:" + closedPort, 10, Map.of());
        String working = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        String uuid = UUID.randomUUID().toString();

        post("/api/v1/messages", key.raw(), body(false, "refused", session(uuid)))
                .then().statusCode(200).body("usage.output_tokens", is(345));

        assertEquals(1, upstream.requests().size());
        assertEquals(keyOf(working), servedBy(upstream, 0));
        assertEquals("{\"accountId\":\"" + working + "\",\"accountType\":\"claude-console\"}",
                string(redis, MAPPING + uuid));
        assertEquals("1", string(redis, "temp_unavailable:claude-console:" + dead));
        long left = ttl(redis, "temp_unavailable:claude-console:" + dead);
        assertTrue(left > 25 && left <= 30, "a connection failure cools down for the default 30 s, TTL " + left);
    }

    @Test
    void aLoneRateLimitedAccountGivesTheClientTheUpstream429AsTheLegacyDoes() throws Exception {
        String only = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        upstream.nextReplies(Reply.status(429));

        Response response = post("/api/v1/messages?beta=true", key.raw(), body(false, "429", null));

        assertEquals(429, response.statusCode(), response.asString());
        assertEquals(1, upstream.requests().size());
        JsonNode fixtureBody = new ObjectMapper().readTree(FIXTURE.resolve("http.json").toFile())
                .get(0).get("response").get("body");
        assertEquals(withoutModelStamp(fixtureBody), new ObjectMapper().readTree(response.asString()));
        assertEquals("rate_limited", account(only).get("status"));
    }

    @Test
    void aLoneUnreachableAccountGivesTheClientA502() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        world.consoleAccount("http://127.0.0.1:" + closedPort, 10, Map.of());
        reloadAccounts();

        post("/api/v1/messages", key.raw(), body(false, "refused", null))
                .then().statusCode(502).body("error", is("Upstream connection error"));
    }

    /** The legacy's answer less the {@code model} it stamps on upstream errors (docs/redis-compat.md, issue 20). */
    static JsonNode withoutModelStamp(JsonNode legacyBody) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = legacyBody.deepCopy();
        copy.remove("model");
        return copy;
    }
}
