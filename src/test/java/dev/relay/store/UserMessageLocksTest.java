package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** redis-keys.md §4.1 L11/L12: the user-message lock shared with the legacy. */
class UserMessageLocksTest {
    private final TestRedis redis = new TestRedis().flush();
    private final UserMessageLocks locks = new UserMessageLocks(redis.store);

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void oneHolderAtATimeThenTheGapAfterItsEnd() {
        String lock = UserMessageLocks.lockKey("acct");
        String last = UserMessageLocks.lastKey("acct");
        assertEquals("user_msg_queue_lock:acct", lock);
        assertEquals("user_msg_queue_last:acct", last);

        assertEquals(new UserMessageLocks.Attempt(true, 0), await(locks.tryAcquire("acct", "r1", 5000, 200)));
        assertEquals("r1", redis.call("GET", lock).toString());
        long pttl = redis.call("PTTL", lock).toLong();
        assertTrue(pttl > 4000 && pttl <= 5000, "PX lock TTL, was " + pttl);

        assertEquals(new UserMessageLocks.Attempt(false, -1), await(locks.tryAcquire("acct", "r2", 5000, 200)));
        assertFalse(await(locks.release("acct", "r2")), "only the holder releases");
        assertEquals("r1", redis.call("GET", lock).toString());

        assertTrue(await(locks.release("acct", "r1")));
        assertEquals(0, redis.call("EXISTS", lock).toLong());
        long ended = Long.parseLong(redis.call("GET", last).toString());
        assertTrue(Math.abs(System.currentTimeMillis() - ended) < 2000, "last = Redis TIME in ms: " + ended);
        long ttl = redis.call("TTL", last).toLong();
        assertTrue(ttl > 55 && ttl <= 60, "last kept 60 s, was " + ttl);

        UserMessageLocks.Attempt tooSoon = await(locks.tryAcquire("acct", "r2", 5000, 10_000));
        assertFalse(tooSoon.acquired());
        assertTrue(tooSoon.waitMs() > 8000 && tooSoon.waitMs() <= 10_000, "rest of the gap: " + tooSoon.waitMs());
        assertEquals(new UserMessageLocks.Attempt(true, 0), await(locks.tryAcquire("acct", "r2", 5000, 0)));
    }
}
