package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminLoginThrottleTest {
    static TestRedis redis;
    AdminLoginThrottle throttle;

    @BeforeAll
    static void open() {
        redis = new TestRedis();
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @BeforeEach
    void clean() {
        redis.flush();
        throttle = new AdminLoginThrottle(redis.store);
    }

    @Test
    void concurrentAttemptsCannotPassTheLimit() {
        List<Future<AdminLoginThrottle.Attempt>> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(throttle.attempt("10.0.0.1", "admin", 900, 10, 100));
        }
        long allowed = burst.stream().map(TestRedis::await).filter(a -> !a.refused()).count();
        assertEquals(10, allowed);
        assertEquals("10", redis.call("GET", AdminLoginThrottle.addressKey("10.0.0.1")).toString());
        long ttl = redis.call("TTL", AdminLoginThrottle.addressKey("10.0.0.1")).toLong();
        assertTrue(ttl > 0 && ttl <= 900, "the window does not stretch: " + ttl);
    }

    @Test
    void theUserLimitHoldsAcrossAddresses() {
        for (int i = 0; i < 5; i++) {
            assertFalse(TestRedis.await(throttle.attempt("10.0.0." + i, "admin", 900, 10, 5)).refused());
        }
        AdminLoginThrottle.Attempt sixth = TestRedis.await(throttle.attempt("10.0.0.99", "admin", 900, 10, 5));
        assertTrue(sixth.refused());
        assertTrue(sixth.retryAfterSeconds() > 0 && sixth.retryAfterSeconds() <= 900);
        // another username from the same addresses is not affected
        assertFalse(TestRedis.await(throttle.attempt("10.0.0.1", "other", 900, 10, 5)).refused());
    }

    @Test
    void aSuccessClearsTheCounts() {
        for (int i = 0; i < 3; i++) {
            TestRedis.await(throttle.attempt("10.0.0.1", "admin", 900, 3, 30));
        }
        assertTrue(TestRedis.await(throttle.attempt("10.0.0.1", "admin", 900, 3, 30)).refused());
        TestRedis.await(throttle.succeeded("10.0.0.1", "admin"));
        assertFalse(TestRedis.await(throttle.attempt("10.0.0.1", "admin", 900, 3, 30)).refused());
        assertTrue(AdminLoginThrottle.userKey("admin").matches("relay:admin_login:user:[0-9a-f]{64}"),
                "usernames are not stored in key names");
    }
}
