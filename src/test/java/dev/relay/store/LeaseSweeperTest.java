package dev.relay.store;

import static dev.relay.testsupport.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.testsupport.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaseSweeperTest {
    private TestRedis redis;
    private LeaseSweeper sweeper;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
    }

    @AfterEach
    void tearDown() {
        if (sweeper != null) {
            sweeper.stop();
        }
        redis.close();
    }

    @Test
    void expiredLeasesLeaveTheLeaseSetsOnTheTimerWithoutAnyRequest() {
        long now = System.currentTimeMillis();
        redis.call("ZADD", "concurrency:k-stale", Long.toString(now - 1), "gone-1", Long.toString(now - 2), "gone-2");
        redis.call("ZADD", "concurrency:console_account:a1", Long.toString(now - 1), "gone",
                Long.toString(now + 600_000), "live");

        sweeper = new LeaseSweeper(redis.vertx, new ConcurrencyLeases(redis.store), 50);
        sweeper.start();

        eventually(() -> redis.call("EXISTS", "concurrency:k-stale").toLong() == 0, "the stale set was swept");
        eventually(() -> redis.call("ZCARD", "concurrency:console_account:a1").toLong() == 1, "the expired member left");
        assertEquals("live", redis.call("ZRANGE", "concurrency:console_account:a1", "0", "-1").get(0).toString());
    }
}
