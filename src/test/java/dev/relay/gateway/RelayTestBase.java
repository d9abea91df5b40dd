package dev.relay.gateway;

import dev.relay.fake.FakeAnthropic;
import dev.relay.scheduler.ClaudeAccountPool;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.store.ClaudeRelaySettings;
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

    @Inject
    ClaudeAccountPool claudePool;

    @Inject
    ClaudeRelaySettings relaySettings;

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
        relaySettings.forget(); // the dashboard settings of an earlier test are gone with the flush
        upstream.reset();
        world = new RelayWorld(redis);
    }

    /** Writes the dashboard's {@code claude_relay_config} and makes the gateway read it at once. */
    void relayConfig(String json) {
        redis.call("SET", ClaudeRelaySettings.KEY, json);
        relaySettings.forget();
    }

    /** The gateway keeps a one-second account snapshot; tests that just seeded accounts refresh it at once. */
    void reloadAccounts() {
        TestRedis.await(claudePool.reload());
    }
}
