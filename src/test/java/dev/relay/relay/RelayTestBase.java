package dev.relay.relay;

import dev.relay.fake.FakeAnthropic;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.testsupport.RelayWorld;
import dev.relay.testsupport.TestRedis;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every end-to-end relay test stands on: the running gateway (the subclass is a {@code @QuarkusTest}), a fake
 * Anthropic upstream on loopback, the test Redis emptied before each test, and a {@link RelayWorld} to seed keys
 * and accounts as the legacy writes them.
 */
abstract class RelayTestBase {
    static FakeAnthropic upstream;
    static TestRedis redis;

    @Inject
    ConsoleAccountPool pool;

    RelayWorld world;

    @BeforeAll
    static void startUpstream() {
        upstream = new FakeAnthropic();
        upstream.start();
        redis = new TestRedis();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
        redis.close();
    }

    @BeforeEach
    void cleanWorld() {
        redis.flush();
        upstream.reset();
        world = new RelayWorld(redis);
    }

    /** The gateway keeps a one-second account snapshot; tests that just seeded accounts refresh it at once. */
    void reloadAccounts() {
        TestRedis.await(pool.reload());
    }
}
