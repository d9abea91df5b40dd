package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.relay.store.LegacyClock;
import dev.relay.store.RedisStore;
import dev.relay.testsupport.TestRedis;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Usage recorders for outage tests: each on the given Redis behind one {@link FlakyRedis}, with the given spool
 * folder and a meter registry of its own; requests of one API key; polling with a deadline.
 */
final class UsageRig implements AutoCloseable {
    static final Instant AT = Instant.parse("2026-11-23T07:21:53.341Z");
    static final String KEY = "key-1";
    /** Fast retries; stalls only in the test about them. */
    static final UsageWriteTuning FAST = UsageWriteTuning.DEFAULT.withRetries(20, 200)
            .withStallMs(30_000).withSpoolLingerMs(10);
    private static final CostCalculator COSTS = new CostCalculator(new PriceBook((Path) null,
            new SimpleMeterRegistry()));

    final TestRedis redis;
    final FlakyRedis flaky;
    final Path spool;
    private final Map<UsageRecorder, MeterRegistry> meters = new HashMap<>();
    private final List<UsageRecorder> recorders = new ArrayList<>();

    UsageRig(TestRedis redis, Path spool) {
        this.redis = redis;
        this.flaky = new FlakyRedis(redis.redis);
        this.spool = spool;
        redis.call("HSET", "apikey:" + KEY, "id", KEY, "name", "k");
    }

    UsageRecorder recorder() {
        return recorder(FAST);
    }

    UsageRecorder recorder(UsageWriteTuning tuning) {
        return recorder(tuning, spool);
    }

    UsageRecorder recorder(UsageWriteTuning tuning, Path spoolDir) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        UsageRecorder recorder = new UsageRecorder(new RedisStore(flaky.client), new LegacyClock(8, ZoneOffset.UTC),
                COSTS, redis.vertx, spoolDir, registry, tuning);
        meters.put(recorder, registry);
        recorders.add(recorder);
        return recorder;
    }

    /** Request {@code i} of the test: same usage, {@code i} ms after {@link #AT}, rate window active. */
    static UsageEvent event(int i) {
        return new UsageEvent(KEY, "k", null, "acct-1", "claude-console", "claude-sonnet-4-20250514",
                new Usage(1200, 345, 200, 3000, 150, 50, "claude-sonnet-4-20250514"), AT.plusMillis(i), true);
    }

    double pending(UsageRecorder recorder) {
        return meters.get(recorder).get(UsageWriteMetrics.PENDING).gauge().value();
    }

    double failures(UsageRecorder recorder, String reason) {
        Counter c = meters.get(recorder).find(UsageWriteMetrics.FAILURES).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    /** The batch files in the spool folder (temp files, locks and rejected/ left out). */
    List<String> spooled() {
        return files(spool);
    }

    static List<String> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.matches("usage-.*\\.json")).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Throwable failure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no outcome: " + e, e);
        }
        return fail("succeeded, expected a failure");
    }

    static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("not within 10 s: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    static void assertDeferred(Throwable failure) {
        assertTrue(failure instanceof UsageDeferred, "deferred, not lost: " + failure);
        assertTrue(failure.getMessage().contains("will be retried"), failure.getMessage());
    }

    /** The commit markers the recorded pipelines carried, in the order they reached Redis. */
    List<String> markersSent() {
        List<String> out = new ArrayList<>();
        String marker = " M relay:usage_commit:";
        synchronized (flaky.pipelines) {
            for (var pipeline : flaky.pipelines) {
                for (var request : pipeline) {
                    String text = String.join(" ", java.util.Arrays.stream(request.toString().split("\r\n"))
                            .filter(line -> !line.startsWith("*") && !line.startsWith("$")).toList());
                    int at = text.lastIndexOf(marker);
                    if (at >= 0) {
                        String[] idSeqTtl = text.substring(at + marker.length()).split(" ");
                        out.add(idSeqTtl[0] + " " + idSeqTtl[1]);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        recorders.forEach(UsageRecorder::close);
        redis.close();
    }
}
