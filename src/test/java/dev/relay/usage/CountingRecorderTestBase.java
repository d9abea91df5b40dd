package dev.relay.usage;

import dev.relay.store.LegacyClock;
import dev.relay.store.RedisStore;
import dev.relay.testsupport.CountingRedis;
import dev.relay.testsupport.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests of one recorder straight on the shared test Redis (nothing fails), counting its round trips. */
abstract class CountingRecorderTestBase {
    final TestRedis redis = new TestRedis().flush();
    final AtomicInteger roundTrips = new AtomicInteger();
    UsageRecorder recorder;

    @BeforeEach
    void setUpRecorder(@TempDir Path spool) {
        recorder = new UsageRecorder(new RedisStore(CountingRedis.counting(redis.redis, roundTrips)),
                new LegacyClock(8, ZoneOffset.UTC), new CostCalculator(new PriceBook((Path) null,
                new SimpleMeterRegistry())), redis.vertx, spool, new SimpleMeterRegistry(),
                UsageWriteTuning.DEFAULT);
    }

    @AfterEach
    void closeRecorder() {
        recorder.close();
        redis.close();
    }
}
