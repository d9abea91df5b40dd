package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.TestRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestQueueTest {
    private static final String KEY_ID = "3683294b-3c27-4552-8e45-c47dd928b023";

    private TestRedis redis;
    private RequestQueue queue;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        queue = new RequestQueue(redis.store);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void reproducesTheFixtureQueueKeysWhileARequestWaits() {
        JsonNode diff = LegacyFixtures.load("08-leases-inflight", "redis-queue-inflight.json");
        assertEquals(1, await(queue.enter(KEY_ID, 10_000)));
        assertEquals(1, await(queue.record(KEY_ID, RequestQueue.Stat.ENTERED)));

        JsonNode counter = LegacyFixtures.added(diff, "concurrency:queue:" + KEY_ID);
        assertEquals(counter.path("value").asText(), RedisReads.string(redis, "concurrency:queue:" + KEY_ID));
        assertEquals(40, redis.call("TTL", "concurrency:queue:" + KEY_ID).toLong(), "ceil(10000/1000) + 30");

        JsonNode stats = LegacyFixtures.added(diff, "concurrency:queue:stats:" + KEY_ID);
        assertEquals(Map.copyOf(LegacyFixtures.hash(stats)), RedisReads.hash(redis, "concurrency:queue:stats:" + KEY_ID));
        assertEquals(604_800, redis.call("TTL", "concurrency:queue:stats:" + KEY_ID).toLong());
        assertEquals(1, await(queue.waiting(KEY_ID)));
    }

    @Test
    void reproducesTheFixtureKeysAfterTheQueuedRequestSucceeded() {
        JsonNode diff = LegacyFixtures.load("08-leases-inflight", "redis-queue-after.json");
        await(queue.enter(KEY_ID, 10_000));
        await(queue.record(KEY_ID, RequestQueue.Stat.ENTERED));

        await(queue.recordWaitTime(KEY_ID, 2194));
        await(queue.record(KEY_ID, RequestQueue.Stat.SUCCESS));
        assertEquals(0, await(queue.leave(KEY_ID)));

        for (String key : List.of("concurrency:queue:wait_times:" + KEY_ID, "concurrency:queue:wait_times:global")) {
            List<String> expected = new ArrayList<>();
            LegacyFixtures.added(diff, key).path("value").forEach(v -> expected.add(v.asText()));
            assertEquals(expected, RedisReads.list(redis, key), key);
            assertEquals(86_400, redis.call("TTL", key).toLong());
        }
        JsonNode stats = LegacyFixtures.changed(diff, "concurrency:queue:stats:" + KEY_ID, "after");
        assertEquals(Map.copyOf(LegacyFixtures.hash(stats)), RedisReads.hash(redis, "concurrency:queue:stats:" + KEY_ID));
        assertTrue(diff.path("deleted").has("concurrency:queue:" + KEY_ID));
        assertFalse(RedisReads.exists(redis, "concurrency:queue:" + KEY_ID));
        assertEquals(0, await(queue.waiting(KEY_ID)));
    }

    @Test
    void leaveCountsDownAndDeletesAtZeroEvenIfTheCounterIsAlreadyGone() {
        await(queue.enter(KEY_ID, 10_000));
        await(queue.enter(KEY_ID, 2_500));
        assertEquals(33, redis.call("TTL", "concurrency:queue:" + KEY_ID).toLong(), "re-set on every enter");
        assertEquals(1, await(queue.leave(KEY_ID)));
        assertEquals(0, await(queue.leave(KEY_ID)));
        assertEquals(0, await(queue.leave(KEY_ID)));
        assertFalse(RedisReads.exists(redis, "concurrency:queue:" + KEY_ID));
    }

    @Test
    void waitSamplesAreNewestFirstAndCapped() {
        for (int i = 0; i < 510; i++) {
            await(queue.recordWaitTime(KEY_ID, i));
        }
        List<Long> samples = await(queue.waitTimes(KEY_ID));
        assertEquals(500, samples.size());
        assertEquals(509, samples.get(0));
        assertEquals(10, samples.get(499));
        assertEquals(510, RedisReads.list(redis, "concurrency:queue:wait_times:global").size(), "global keeps 2000");
    }

    @Test
    void statsUseTheLegacyFieldNames() {
        for (RequestQueue.Stat stat : RequestQueue.Stat.values()) {
            await(queue.record(KEY_ID, stat));
        }
        await(queue.record(KEY_ID, RequestQueue.Stat.TIMEOUT));
        assertEquals(Map.of("entered", 1L, "success", 1L, "timeout", 2L, "cancelled", 1L, "socket_changed", 1L,
                "rejected_overload", 1L), await(queue.stats(KEY_ID)));
    }
}
