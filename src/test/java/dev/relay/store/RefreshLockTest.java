package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RefreshLockTest {
    private static final String KEY = "token_refresh_lock:claude:acc";
    private TestRedis redis;
    private RefreshLock lock;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        lock = new RefreshLock(redis.store);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void onlyOneOwnerAndOnlyTheOwnerReleases() {
        assertTrue(await(lock.tryAcquire("claude", "acc", "owner-1")));
        assertEquals("owner-1", RedisReads.string(redis, KEY));
        assertEquals(60, redis.call("TTL", KEY).toLong());
        assertFalse(await(lock.tryAcquire("claude", "acc", "owner-2")));

        assertFalse(await(lock.release("claude", "acc", "owner-2")));
        assertEquals("owner-1", RedisReads.string(redis, KEY));
        assertTrue(await(lock.release("claude", "acc", "owner-1")));
        assertFalse(RedisReads.exists(redis, KEY));
        assertFalse(await(lock.release("claude", "acc", "owner-1")));
    }

    @Test
    void aLockTakenByNodeIsRespected() {
        redis.call("SET", "token_refresh_lock:openai:acc", "node-uuid", "NX", "EX", "60");
        assertFalse(await(lock.tryAcquire("openai", "acc", "ours")));
        assertFalse(await(lock.release("openai", "acc", "ours")));
        assertTrue(RedisReads.exists(redis, "token_refresh_lock:openai:acc"));
    }
}
