package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.ManualClock;
import dev.relay.testsupport.TestRedis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountHealthMarksTest {
    private static final String CONSOLE_ID = "d09be248-12ea-4668-bc07-7acdf40463d6";
    private static final String CONSOLE_KEY = "claude_console_account:" + CONSOLE_ID;
    private static final String OAUTH_ID = "29ed57d9-d16a-400d-965c-9840cac8d5e4";

    private TestRedis redis;
    private ManualClock clock;
    private AccountHealthMarks marks;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        clock = new ManualClock(Instant.parse("2026-11-23T07:23:00Z"));
        marks = new AccountHealthMarks(redis.store, clock);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void console429MatchesTheFixtureFieldForField() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-console-429.json");
        storeBefore(diff);
        clock.set(Instant.parse("2026-11-23T07:23:04.214Z")); // the fixture's rateLimitedAt
        assertTrue(await(marks.consoleRateLimited(CONSOLE_ID)));
        assertEquals(expectedAfter(diff), RedisReads.hash(redis, CONSOLE_KEY));
    }

    @Test
    void console529MatchesTheFixtureFieldForField() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-console-529.json");
        storeBefore(diff);
        clock.set(Instant.parse("2026-11-23T07:23:08.525Z"));
        assertTrue(await(marks.consoleOverloaded(CONSOLE_ID)));
        assertEquals(expectedAfter(diff), RedisReads.hash(redis, CONSOLE_KEY));
    }

    @Test
    void consoleSuccessAfter529LiftsTheOverloadLikeTheFixture() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-console-529-next.json");
        storeBefore(diff);
        assertEquals(new AccountHealthMarks.Lifted(false, true), await(marks.consoleSucceeded(CONSOLE_ID)));
        // overloadedAt/overloadStatus deleted, errorMessage left as it was
        assertEquals(expectedAfter(diff), RedisReads.hash(redis, CONSOLE_KEY));
    }

    @Test
    void console401MatchesTheFixtureFieldForField() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-console-401.json");
        storeBefore(diff);
        clock.set(Instant.parse("2026-11-23T07:23:17.383Z"));
        assertEquals(1, await(marks.consoleUnauthorized(CONSOLE_ID)));
        assertEquals(expectedAfter(diff), RedisReads.hash(redis, CONSOLE_KEY));

        assertEquals(2, await(marks.consoleUnauthorized(CONSOLE_ID)));
        assertEquals("2", RedisReads.hash(redis, CONSOLE_KEY).get("unauthorizedCount"));
    }

    @Test
    void consoleSuccessAfter429LiftsTheRateLimitAndResumesScheduling() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-console-429.json");
        Map<String, String> limited = LegacyFixtures.hash(LegacyFixtures.changed(diff, CONSOLE_KEY, "after"));
        storeHash(limited);

        assertEquals(new AccountHealthMarks.Lifted(true, false), await(marks.consoleSucceeded(CONSOLE_ID)));

        Map<String, String> expected = new TreeMap<>(limited);
        expected.remove("rateLimitedAt");
        expected.remove("rateLimitStatus");
        expected.remove("rateLimitAutoStopped");
        expected.put("isActive", "true");
        expected.put("status", "active");
        expected.put("errorMessage", "");
        expected.put("schedulable", "true");
        assertEquals(expected, RedisReads.hash(redis, CONSOLE_KEY));
        assertEquals(new AccountHealthMarks.Lifted(false, false), await(marks.consoleSucceeded(CONSOLE_ID)));
        assertEquals(expected, RedisReads.hash(redis, CONSOLE_KEY), "nothing more to lift");
    }

    @Test
    void consoleSuccessKeepsAQuotaStopAndOnlyDropsTheRateLimitFields() {
        storeHash(Map.of("id", CONSOLE_ID, "status", "rate_limited", "rateLimitStatus", "limited",
                "rateLimitedAt", "2026-11-23T07:00:00.000Z", "quotaStoppedAt", "2026-11-23T06:00:00.000Z",
                "isActive", "false", "schedulable", "false", "rateLimitAutoStopped", "true"));
        assertEquals(new AccountHealthMarks.Lifted(true, false), await(marks.consoleSucceeded(CONSOLE_ID)));
        assertEquals(new TreeMap<>(Map.of("id", CONSOLE_ID, "status", "quota_exceeded",
                "quotaStoppedAt", "2026-11-23T06:00:00.000Z", "isActive", "false", "schedulable", "false",
                "rateLimitAutoStopped", "true")), RedisReads.hash(redis, CONSOLE_KEY));
    }

    @Test
    void consoleSuccessOnAnotherStatusOnlyDropsTheStaleAutoStopFlag() {
        storeHash(Map.of("id", CONSOLE_ID, "status", "unauthorized", "rateLimitStatus", "limited",
                "rateLimitedAt", "2026-11-23T07:00:00.000Z", "schedulable", "false", "rateLimitAutoStopped", "true"));
        await(marks.consoleSucceeded(CONSOLE_ID));
        assertEquals(new TreeMap<>(Map.of("id", CONSOLE_ID, "status", "unauthorized", "schedulable", "false")),
                RedisReads.hash(redis, CONSOLE_KEY));
    }

    @Test
    void rateLimitDurationZeroDisablesMarkingAndLifting() {
        storeHash(Map.of("id", CONSOLE_ID, "status", "active", "rateLimitDuration", "0"));
        assertFalse(await(marks.consoleRateLimited(CONSOLE_ID)));
        assertEquals(new TreeMap<>(Map.of("id", CONSOLE_ID, "status", "active", "rateLimitDuration", "0")),
                RedisReads.hash(redis, CONSOLE_KEY));

        // a mark left from before the duration was set to 0 stays (legacy isAccountRateLimited returns false)
        redis.call("HSET", CONSOLE_KEY, "rateLimitStatus", "limited", "rateLimitedAt", "2026-11-23T07:00:00.000Z");
        assertEquals(new AccountHealthMarks.Lifted(false, false), await(marks.consoleSucceeded(CONSOLE_ID)));
        assertEquals("limited", RedisReads.hash(redis, CONSOLE_KEY).get("rateLimitStatus"));
    }

    @Test
    void quotaExceededStatusSurvivesA429() {
        storeHash(Map.of("id", CONSOLE_ID, "status", "quota_exceeded", "rateLimitDuration", "60"));
        assertTrue(await(marks.consoleRateLimited(CONSOLE_ID)));
        Map<String, String> after = RedisReads.hash(redis, CONSOLE_KEY);
        assertEquals("quota_exceeded", after.get("status"));
        assertEquals("limited", after.get("rateLimitStatus"));
    }

    @Test
    void unknownConsoleAccountsAreNeverCreated() {
        assertFalse(await(marks.consoleRateLimited(CONSOLE_ID)));
        assertEquals(0, await(marks.consoleUnauthorized(CONSOLE_ID)));
        assertFalse(await(marks.consoleOverloaded(CONSOLE_ID)));
        assertEquals(new AccountHealthMarks.Lifted(false, false), await(marks.consoleSucceeded(CONSOLE_ID)));
        assertFalse(RedisReads.exists(redis, CONSOLE_KEY));
    }

    @Test
    void oauth500WritesTheFixtureCounterAndTempUnavailableMark() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-oauth-500.json");
        assertFalse(await(marks.isTemporarilyUnavailable("claude-official", OAUTH_ID)));
        assertEquals(1, await(marks.recordServerError(OAUTH_ID)));
        await(marks.markTemporarilyUnavailable("claude-official", OAUTH_ID));

        for (String key : List.of("claude_account:" + OAUTH_ID + ":5xx_errors",
                "temp_unavailable:claude-official:" + OAUTH_ID)) {
            assertEquals(LegacyFixtures.added(diff, key).path("value").asText(), RedisReads.string(redis, key));
            assertEquals(300, redis.call("TTL", key).toLong(), key);
        }
        assertTrue(await(marks.isTemporarilyUnavailable("claude-official", OAUTH_ID)));
        assertFalse(await(marks.isTemporarilyUnavailable("claude-console", OAUTH_ID)));
        assertEquals(2, await(marks.recordServerError(OAUTH_ID)));
    }

    @Test
    void oauth401CounterAndSuccessClearsBothCounters() {
        JsonNode diff = LegacyFixtures.load("10-upstream-errors", "redis-oauth-401.json");
        String key = "claude_account:" + OAUTH_ID + ":401_errors";
        assertEquals(1, await(marks.recordUnauthorizedError(OAUTH_ID)));
        assertEquals(LegacyFixtures.added(diff, key).path("value").asText(), RedisReads.string(redis, key));
        assertEquals(300, redis.call("TTL", key).toLong());

        await(marks.recordServerError(OAUTH_ID));
        await(marks.clearErrorCounters(OAUTH_ID));
        assertFalse(RedisReads.exists(redis, key));
        assertFalse(RedisReads.exists(redis, "claude_account:" + OAUTH_ID + ":5xx_errors"));
    }

    private void storeBefore(JsonNode diff) {
        storeHash(LegacyFixtures.hash(LegacyFixtures.changed(diff, CONSOLE_KEY, "before")));
    }

    private void storeHash(Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add("HSET");
        args.add(CONSOLE_KEY);
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        redis.call(args.toArray(String[]::new));
    }

    /** The fixture's after-state, except lastUsedAt, which the relay path writes separately (not this class). */
    private static Map<String, String> expectedAfter(JsonNode diff) {
        Map<String, String> before = LegacyFixtures.hash(LegacyFixtures.changed(diff, CONSOLE_KEY, "before"));
        Map<String, String> after = new TreeMap<>(LegacyFixtures.hash(LegacyFixtures.changed(diff, CONSOLE_KEY, "after")));
        after.put("lastUsedAt", before.get("lastUsedAt"));
        return after;
    }

    @Test
    void findsTheMarkedAmongManyInOneCallWithTheTimeEachHasLeft() {
        TestRedis.await(marks.markTemporarilyUnavailable("claude-console", "b"));
        redis.call("SET", "temp_unavailable:claude-console:c", "1"); // a mark without TTL, written by hand
        Map<String, Long> marked = TestRedis.await(
                marks.temporarilyUnavailable("claude-console", List.of("a", "b", "c")));
        assertEquals(java.util.Set.of("b", "c"), marked.keySet());
        assertTrue(marked.get("b") > 290_000 && marked.get("b") <= 300_000, "ms left " + marked.get("b"));
        assertEquals(AccountHealthMarks.NO_EXPIRY, marked.get("c"));
        assertEquals(Map.of(), TestRedis.await(marks.temporarilyUnavailable("claude-official", List.of("b"))));
    }

    @Test
    void aShorterMarkIsTheLegacysKeyAndValueWithItsOwnTtl() {
        TestRedis.await(marks.markTemporarilyUnavailable("claude-console", CONSOLE_ID, 30));
        String key = "temp_unavailable:claude-console:" + CONSOLE_ID;
        assertEquals("1", RedisReads.string(redis, key));
        assertEquals(30, redis.call("TTL", key).toLong());
        assertTrue(await(marks.isTemporarilyUnavailable("claude-console", CONSOLE_ID)));

        TestRedis.await(marks.markTemporarilyUnavailable("claude-console", CONSOLE_ID, 0));
        assertEquals(1, redis.call("TTL", key).toLong(), "never SETEX 0, which Redis refuses");
    }
}
