package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.ManualClock;
import dev.relay.testsupport.TestRedis;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConcurrencyLeasesTest {
    // fixture 08: both in-flight leases were taken at this instant (MONITOR: ARGV now = 1795418528407)
    private static final long FIXTURE_NOW = 1795418528407L;
    private static final String KEY_ID = "3683294b-3c27-4552-8e45-c47dd928b023";

    private TestRedis redis;
    private ManualClock clock;
    private ConcurrencyLeases leases;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        clock = ManualClock.atMillis(FIXTURE_NOW);
        leases = new ConcurrencyLeases(redis.store, clock);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void keyNamesAndTtlsAreTheLegacyOnes() {
        assertEquals("concurrency:k1", ConcurrencyLeases.apiKeyLeases("k1"));
        assertEquals("concurrency:claude_account:a1", ConcurrencyLeases.claudeAccountLeases("a1"));
        assertEquals("concurrency:console_account:a1", ConcurrencyLeases.consoleAccountLeases("a1"));
        assertEquals(330_000, ConcurrencyLeases.keyTtlMillis(ConcurrencyLeases.API_KEY_LEASE_SECONDS));
        assertEquals(630_000, ConcurrencyLeases.keyTtlMillis(600)); // the legacy's account lease
        assertEquals(60_000, ConcurrencyLeases.keyTtlMillis(10));
    }

    @Test
    void reproducesTheFixtureLeaseZset() {
        JsonNode diff = LegacyFixtures.load("08-leases-inflight", "redis-inflight.json");
        String key = "concurrency:" + KEY_ID;
        JsonNode expected = LegacyFixtures.added(diff, key);
        Map<String, Double> expectedMembers = new TreeMap<>();
        for (JsonNode pair : expected.path("value")) {
            expectedMembers.put(pair.get(0).asText(), pair.get(1).asDouble());
        }

        for (String member : expectedMembers.keySet()) {
            LeaseResult result = await(leases.acquire(ConcurrencyLeases.apiKeyLeases(KEY_ID), member,
                    ConcurrencyLeases.API_KEY_LEASE_SECONDS, 2));
            assertTrue(result.admitted());
        }

        assertEquals(expectedMembers, RedisReads.zset(redis, key));
        long pttl = RedisReads.pttl(redis, key);
        assertTrue(pttl > 329_000 && pttl <= 330_000, "PEXPIRE (300 + 30) * 1000, was " + pttl);
        assertTrue(pttl >= expected.path("ttl_ms").asLong(), "fixture TTL was measured 1.3 s later");
    }

    @Test
    void thirdRequestOverTheLimitIsRefusedWithTheOthersCount() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        assertEquals(new LeaseResult(true, 1), await(leases.acquire(key, "r1", 300, 2)));
        assertEquals(new LeaseResult(true, 2), await(leases.acquire(key, "r2", 300, 2)));
        // relay.md §3.4: 429 body currentConcurrency = count - 1 = 2
        assertEquals(new LeaseResult(false, 2), await(leases.acquire(key, "r3", 300, 2)));
        assertEquals(Map.of("r1", (double) (FIXTURE_NOW + 300_000), "r2", (double) (FIXTURE_NOW + 300_000)),
                RedisReads.zset(redis, key));
    }

    @Test
    void limitZeroMeansUnlimited() {
        String key = ConcurrencyLeases.consoleAccountLeases("acc");
        for (int i = 1; i <= 4; i++) {
            assertEquals(new LeaseResult(true, i), await(leases.acquire(key, "r" + i, 600, 0)));
        }
        long pttl = RedisReads.pttl(redis, key);
        assertTrue(pttl > 629_000 && pttl <= 630_000, "account lease key TTL 630 s, was " + pttl);
    }

    @Test
    void expiredLeasesAreDroppedAndDoNotCount() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        await(leases.acquire(key, "old", 300, 1));
        clock.advanceMillis(300_000); // score == now counts as expired (ZREMRANGEBYSCORE -inf now)
        assertEquals(new LeaseResult(true, 1), await(leases.acquire(key, "new", 300, 1)));
        assertEquals(List.of("new"), List.copyOf(RedisReads.zset(redis, key).keySet()));
    }

    @Test
    void refusedAcquireLeavesOnlyTheHolderAndSweepsStaleLeases() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        // a Node lease that has expired but was not swept yet
        redis.call("ZADD", key, Long.toString(FIXTURE_NOW - 1), "stale");
        assertEquals(new LeaseResult(true, 1), await(leases.acquire(key, "a", 300, 1)));
        assertEquals(new LeaseResult(false, 1), await(leases.acquire(key, "b", 300, 1)));
        assertEquals(List.of("a"), List.copyOf(RedisReads.zset(redis, key).keySet()));
        assertEquals(0, await(leases.release(key, "a")));
        assertFalse(RedisReads.exists(redis, key));
    }

    @Test
    void leasesTakenByNodeCountAgainstTheLimit() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        // what the legacy's L1 leaves behind (fixture 08 MONITOR)
        redis.call("ZADD", key, Long.toString(FIXTURE_NOW + 300_000), "70b273cf-5c49-419d-b74d-a0ca33ad13bb");
        redis.call("PEXPIRE", key, "330000");
        assertEquals(new LeaseResult(true, 2), await(leases.acquire(key, "ours", 300, 2)));
        assertEquals(new LeaseResult(false, 2), await(leases.acquire(key, "third", 300, 2)));
    }

    @Test
    void releaseRemovesTheMemberAndDeletesTheEmptyKey() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        await(leases.acquire(key, "r1", 300, 0));
        await(leases.acquire(key, "r2", 300, 0));
        assertEquals(1, await(leases.release(key, "r1")));
        assertEquals(1, await(leases.release(key, "unknown")));
        assertEquals(1, await(leases.release(key, "")));
        assertEquals(1, await(leases.release(key, null)));
        assertEquals(List.of("r2"), List.copyOf(RedisReads.zset(redis, key).keySet()));
        assertEquals(0, await(leases.release(key, "r2")));
        assertFalse(RedisReads.exists(redis, key));
        assertEquals(0, await(leases.release("concurrency:never-used", "x")));
    }

    @Test
    void refreshExtendsAHeldLeaseButNeverRevivesAnExpiredOne() {
        String key = ConcurrencyLeases.claudeAccountLeases("acc");
        await(leases.acquire(key, "r1", 600, 0));
        redis.call("PEXPIRE", key, "1000000");
        clock.advanceMillis(100_000);
        assertTrue(await(leases.refresh(key, "r1", 600)));
        assertEquals((double) (FIXTURE_NOW + 100_000 + 600_000), RedisReads.zset(redis, key).get("r1"));
        long pttl = RedisReads.pttl(redis, key);
        assertTrue(pttl > 629_000 && pttl <= 630_000, "TTL re-armed to 630 s, was " + pttl);

        assertFalse(await(leases.refresh(key, "unknown", 600)));
        clock.advanceMillis(600_000);
        assertFalse(await(leases.refresh(key, "r1", 600)));
        assertFalse(RedisReads.zset(redis, key).containsKey("r1"));
    }

    @Test
    void countDropsExpiredLeases() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        await(leases.acquire(key, "r1", 300, 0));
        clock.advanceMillis(100_000);
        await(leases.acquire(key, "r2", 300, 0));
        assertEquals(2, await(leases.count(key)));
        clock.advanceMillis(200_000);
        assertEquals(1, await(leases.count(key)));
        assertEquals(0, await(leases.count("concurrency:none")));
    }

    @Test
    void fiftyConcurrentAcquiresWithLimitFiveAdmitExactlyFive() {
        try (TestRedis second = new TestRedis()) {
            // two independent clients (two connection pools), like two service instances
            ConcurrencyLeases other = new ConcurrencyLeases(second.store, clock);
            String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
            List<Future<LeaseResult>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ConcurrencyLeases client = i % 2 == 0 ? leases : other;
                calls.add(client.acquire(key, UUID.randomUUID().toString(), 300, 5));
            }
            await(Future.join(calls));
            long admitted = calls.stream().filter(f -> f.result().admitted()).count();
            assertEquals(5, admitted);
            assertTrue(calls.stream().allMatch(f -> f.result().count() <= 5), "no caller ever saw more than 5");
            assertEquals(5, RedisReads.zset(redis, key).size());
        }
    }

    @Test
    void acquireAndReleaseChurnNeverExceedsTheLimit() {
        String key = ConcurrencyLeases.apiKeyLeases(KEY_ID);
        List<Future<Long>> rounds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String member = "m" + i;
            rounds.add(leases.acquire(key, member, 300, 3).compose(result -> {
                if (!result.admitted()) {
                    return Future.succeededFuture(result.count());
                }
                return leases.count(key).compose(held -> leases.release(key, member).map(held));
            }));
        }
        await(Future.join(rounds));
        assertTrue(rounds.stream().allMatch(f -> f.result() <= 3), "held leases never above the limit");
        assertFalse(RedisReads.exists(redis, key));
    }

    @Test
    void sweepDropsExpiredLeasesAndNonZsetKeysButKeepsQueueKeys() {
        redis.call("ZADD", "concurrency:a", Long.toString(FIXTURE_NOW - 1), "old");
        redis.call("ZADD", "concurrency:b", Long.toString(FIXTURE_NOW - 1), "old", Long.toString(FIXTURE_NOW + 5), "live");
        redis.call("SET", "concurrency:stray", "1");
        redis.call("SET", "concurrency:queue:k", "2");
        redis.call("HSET", "concurrency:queue:stats:k", "entered", "1");
        redis.call("SET", "other:key", "1");
        for (int i = 0; i < 1200; i++) { // more than one SCAN page
            redis.call("ZADD", "concurrency:many" + i, Long.toString(FIXTURE_NOW), "m");
        }

        assertEquals(1202, await(leases.sweepExpired()));

        assertFalse(RedisReads.exists(redis, "concurrency:a"));
        assertFalse(RedisReads.exists(redis, "concurrency:stray"));
        assertFalse(RedisReads.exists(redis, "concurrency:many7"));
        assertEquals(List.of("live"), List.copyOf(RedisReads.zset(redis, "concurrency:b").keySet()));
        assertTrue(RedisReads.exists(redis, "concurrency:queue:k"));
        assertTrue(RedisReads.exists(redis, "concurrency:queue:stats:k"));
        assertTrue(RedisReads.exists(redis, "other:key"));
    }
}
