package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.post;
import static dev.relay.gateway.RelayFlow.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.FakeTokenEndpoint;
import dev.relay.fake.Reply;
import dev.relay.store.LegacyClock;
import dev.relay.testsupport.OAuthTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OAuth account state machine (relay.md §7.1; fixture 10 oauth-*) and the mixed pool: every upstream failure
 * leaves the account fields and keys the legacy reads, a limit of one model family keeps the others, and a request
 * fails over across account types.
 */
@QuarkusTest
@QuarkusTestResource(OAuthTestResource.class)
class ClaudeOAuthErrorsTest extends RelayTestBase {
    static final FakeAnthropic API = OAuthTestResource.API;
    static final FakeTokenEndpoint TOKENS = OAuthTestResource.TOKENS;
    static final Path FIXTURE = Path.of("..", "shared", "legacy", "fixtures", "10-upstream-errors");
    static final String OPUS = "claude-opus-4-1-20250805";

    String oauth;

    @BeforeEach
    void seed() {
        API.reset();
        TOKENS.reset();
        oauth = UUID.randomUUID().toString();
        // no user:profile scope: a refresh fetches no profile, so the fake's queued replies go to message calls only
        world.oauthAccount(oauth, 10, "sk-ant-oat01-valid", "sk-ant-ort01-valid",
                System.currentTimeMillis() + 3_600_000, Map.of("scopes", "user:inference"));
    }

    static String body(String model) {
        return body(model, "hi");
    }

    /** Different texts are different sessions (the sticky hash of a body without metadata is its first text). */
    static String body(String model, String text) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\""
                + text + "\"}]}";
    }

    Map<String, String> account(String id) {
        var reply = redis.call("HGETALL", "claude:account:" + id);
        Map<String, String> fields = new HashMap<>();
        for (String k : reply.getKeys()) {
            fields.put(k, reply.get(k).toString());
        }
        return fields;
    }

    /** The fields fixture 10's step changed on the OAuth account. */
    static Set<String> fixtureChangedFields(String step) throws Exception {
        JsonNode change = new ObjectMapper().readTree(FIXTURE.resolve("redis-" + step + ".json").toFile())
                .get("changed").get("claude:account:29ed57d9-d16a-400d-965c-9840cac8d5e4");
        JsonNode before = change.get("before").get("value");
        JsonNode after = change.get("after").get("value");
        Set<String> changed = new java.util.TreeSet<>();
        for (Iterator<String> it = after.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!before.has(f) || !before.get(f).asText().equals(after.get(f).asText())) {
                changed.add(f);
            }
        }
        return changed;
    }

    /** OAuth accounts left behind would count as healthy ones in other classes' legacy health checks. */
    @AfterEach
    void removeOAuthAccounts() {
        redis.flush();
    }

    @Test
    void rateLimitOnADedicatedAccountAnswers403AndLeavesFixture10sFields() throws Exception {
        RelayWorld.SeededKey key = world.key(Map.of("claudeAccountId", oauth));
        reloadAccounts();
        long reset = Instant.now().plusSeconds(3600).getEpochSecond();
        API.nextReplies(Reply.status(429).rateLimitReset(reset));

        Response first = post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL));

        String resetIso = LegacyClock.iso(Instant.ofEpochSecond(reset));
        assertEquals(403, first.statusCode(), first.asString());
        assertEquals("upstream_rate_limited", first.jsonPath().getString("error"));
        assertTrue(first.jsonPath().getString("message").endsWith("(UTC+8) 自动恢复。"), first.asString());
        Map<String, String> fields = account(oauth);
        assertEquals("limited", fields.get("rateLimitStatus"));
        assertEquals("false", fields.get("schedulable"));
        assertEquals("true", fields.get("rateLimitAutoStopped"));
        assertEquals(resetIso, fields.get("rateLimitEndAt"));
        assertEquals(resetIso, fields.get("sessionWindowEnd"));
        assertEquals(LegacyClock.iso(Instant.ofEpochSecond(reset - 5 * 3600)), fields.get("sessionWindowStart"));
        for (String field : fixtureChangedFields("oauth-429")) {
            assertTrue(fields.containsKey(field), field + " written as the legacy writes it");
        }

        Response next = post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL));
        assertEquals(403, next.statusCode());
        assertEquals(first.jsonPath().getString("message"), next.jsonPath().getString("message"));
        assertEquals(1, API.requests().size(), "the limited account is not called again");
    }

    @Test
    void weeklySonnetLimitDoesNotBenchTheAccountForOpus() {
        RelayWorld.SeededKey key = world.key(Map.of());
        String console = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        long reset = Instant.now().plusSeconds(86_400).getEpochSecond();
        API.nextReplies(Reply.status(429).rateLimitReset(reset)
                .header("anthropic-ratelimit-unified-representative-claim", "seven_day_sonnet"));

        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());
        assertEquals(1, upstream.requests().size(), "the sonnet request failed over to the Console account");
        Map<String, String> fields = account(oauth);
        assertEquals(LegacyClock.iso(Instant.ofEpochSecond(reset)), fields.get("sonnetRateLimitEndAt"));
        assertNull(fields.get("rateLimitStatus"), "the account as a whole is not limited");
        assertEquals("true", fields.get("schedulable"));

        assertEquals(200, post("/api/v1/messages", key.raw(), body(OPUS, "another conversation")).statusCode());
        assertEquals(2, API.requests().size(), "opus still goes to the OAuth account");
        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL, "a third one")).statusCode());
        assertEquals(2, API.requests().size());
        assertEquals(2, upstream.requests().size(), "sonnet keeps going to " + console);
    }

    @Test
    void rateLimitWithoutResetCoolsTheAccountForTheShortConfiguredTime() {
        RelayWorld.SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        API.nextReplies(Reply.status(429));
        long before = System.currentTimeMillis();

        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());

        Instant end = Instant.parse(account(oauth).get("rateLimitEndAt"));
        assertTrue(end.toEpochMilli() >= before + 59_000 && end.toEpochMilli() <= System.currentTimeMillis() + 61_000,
                end.toString());
        assertEquals("limited", account(oauth).get("rateLimitStatus"));
    }

    @Test
    void overloadKeepsTheAccountOutForTheConfiguredDuration() {
        RelayWorld.SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        API.nextReplies(Reply.status(529));

        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());

        long ttl = redis.call("TTL", "temp_unavailable:claude-official:" + oauth).toLong();
        assertTrue(ttl > 590 && ttl <= 600, "ttl " + ttl);
        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());
        assertEquals(1, API.requests().size(), "the overloaded account sits out");
        assertEquals(2, upstream.requests().size());
    }

    @Test
    void serverErrorCountsAndMarksTheAccountTemporarilyUnavailableAsFixture10() {
        RelayWorld.SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        API.nextReplies(Reply.status(500));

        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());

        assertEquals("1", string(redis, "claude_account:" + oauth + ":5xx_errors"));
        assertEquals("1", string(redis, "temp_unavailable:claude-official:" + oauth));
        long ttl = redis.call("TTL", "temp_unavailable:claude-official:" + oauth).toLong();
        assertTrue(ttl > 290 && ttl <= 300, "ttl " + ttl);
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheCallRepeated() {
        RelayWorld.SeededKey key = world.key(Map.of("claudeAccountId", oauth));
        reloadAccounts();
        API.nextReplies(Reply.status(401));

        Response answer = post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL));

        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(1, TOKENS.calls());
        assertEquals("Bearer sk-ant-oat01-valid", API.requests().get(0).header("authorization"));
        assertEquals("Bearer " + FakeTokenEndpoint.accessToken(1), API.requests().get(1).header("authorization"));
        assertEquals("active", account(oauth).get("status"));
    }

    @Test
    void unauthorizedAfterTheRefreshMarksTheAccountAsFixture10() throws Exception {
        RelayWorld.SeededKey key = world.key(Map.of("claudeAccountId", oauth));
        reloadAccounts();
        API.nextReplies(Reply.status(401), Reply.status(401));

        Response answer = post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL));

        assertEquals(401, answer.statusCode());
        Map<String, String> fields = account(oauth);
        assertEquals("unauthorized", fields.get("status"));
        assertEquals("false", fields.get("schedulable"));
        assertEquals("Account unauthorized (401 errors detected)", fields.get("errorMessage"));
        assertTrue(fields.containsKey("unauthorizedAt"));
        assertEquals("1", string(redis, "claude_account:" + oauth + ":401_errors"));
        for (String field : fixtureChangedFields("oauth-401")) {
            assertTrue(fields.containsKey(field), field);
        }
    }

    @Test
    void aBannedAccountIsMarkedBlockedAfterTheLegacysTwoRepeatsAndTheRequestMovesOn() {
        RelayWorld.SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        Reply forbidden = Reply.status(403).errorType("permission_error");
        API.nextReplies(forbidden, forbidden, forbidden);
        long start = System.nanoTime();

        assertEquals(200, post("/api/v1/messages", key.raw(), body(RelayFlow.MODEL)).statusCode());

        assertTrue(System.nanoTime() - start >= 200_000_000L, "two pauses of the configured 100 ms");
        assertEquals(3, API.requests().size(), "the first call and two repeats on the same account");
        for (int i = 0; i < 3; i++) {
            assertEquals("Bearer sk-ant-oat01-valid", API.requests().get(i).header("authorization"));
        }
        Map<String, String> fields = account(oauth);
        assertEquals("blocked", fields.get("status"));
        assertEquals("false", fields.get("schedulable"));
        assertEquals("Account blocked (403 error detected - account may be suspended by Claude)",
                fields.get("errorMessage"));
        assertTrue(fields.containsKey("blockedAt"));
        assertEquals(1, upstream.requests().size());
    }

    @Test
    void aPassing403IsRepeatedOnTheSameAccountAndLeavesItAlone() {
        RelayWorld.SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        API.nextReplies(Reply.status(403));

        Response answer = post("/api/v1/messages", key.raw(), RelayFlow.body(true, "a passing 403", null));

        assertEquals(200, answer.statusCode(), answer.asString());
        assertTrue(answer.asString().contains("event: message_stop"), "a stream request is repeated the same way");
        assertEquals(2, API.requests().size());
        assertEquals(0, upstream.requests().size(), "not moved to the Console account");
        assertEquals("active", account(oauth).get("status"));
        assertEquals("true", account(oauth).get("schedulable"));
    }

    @Test
    void theMixedPoolPicksByPriorityAndRemembersTheAccountType() {
        RelayWorld.SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        String session = UUID.randomUUID().toString();
        String userId = "user_" + "f1".repeat(32) + "_account__session_" + session;

        assertEquals(200, post("/api/v1/messages", key.raw(), RelayFlow.body(false, "x", userId)).statusCode());

        assertEquals(1, API.requests().size(), "priority 10 (OAuth) before 20 (Console)");
        assertEquals(0, upstream.requests().size());
        assertEquals("{\"accountId\":\"" + oauth + "\",\"accountType\":\"claude-official\"}",
                string(redis, "unified_claude_session_mapping:" + session));

        redis.call("HSET", "claude:account:" + oauth, "priority", "30");
        reloadAccounts();
        assertEquals(200, post("/api/v1/messages", key.raw(), RelayFlow.body(false, "x", null)).statusCode());
        assertEquals(1, upstream.requests().size(), "now the Console account comes first");
        assertEquals(200, post("/api/v1/messages", key.raw(), RelayFlow.body(false, "x", userId)).statusCode());
        assertEquals(2, API.requests().size(), "the session stays on its OAuth account");
    }
}
