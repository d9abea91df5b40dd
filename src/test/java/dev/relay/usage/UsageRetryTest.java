package dev.relay.usage;

import static dev.relay.usage.UsageRig.assertDeferred;
import static dev.relay.usage.UsageRig.event;
import static dev.relay.usage.UsageRig.eventually;
import static dev.relay.usage.UsageRig.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Failed, lost and stalled pipelines: usage is deferred, spooled, retried in order and applied exactly once. */
class UsageRetryTest extends UsageRigTestBase {
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"2026-11-23T07:21:53\\.(\\d{3})Z\"");

    @Test
    void aBatchThatLandedButWhoseAnswerWasLostIsNotAppliedTwice() {
        UsageRecorder recorder = rig.recorder();
        rig.flaky.loseReplies.set(1);

        assertDeferred(failure(recorder.record(event(0))));
        eventually(() -> rig.pending(recorder) == 0 && rig.spooled().isEmpty(), "retried and unspooled");

        assertEquals("1", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
        assertEquals("4745", rig.redis.call("GET", "rate_limit:tokens:key-1").toString());
        assertEquals(1, rig.redis.call("XLEN", "billing:events").toLong());
        assertEquals(1, rig.redis.call("LLEN", "usage:records:key-1").toLong());
        assertEquals(1, rig.flaky.pipelines.size(), "the retry read the commit marker and sent nothing");
        assertEquals(1, rig.flaky.sends.get(), "one marker read");
        assertEquals(1, rig.failures(recorder, UsageWriteMetrics.UNAVAILABLE));
    }

    @Test
    void batchesFormedDuringAnOutageAreAppliedAfterTheFrozenOneInOrder() {
        UsageRecorder recorder = rig.recorder();
        TestRedis.await(recorder.record(event(0)));
        rig.flaky.down = true;

        assertDeferred(failure(recorder.record(event(1)))); // frozen at the head
        assertDeferred(failure(recorder.record(event(2)))); // spooled behind it
        List<Future<RecordedUsage>> more = new ArrayList<>();
        for (int i = 3; i <= 8; i++) {
            more.add(recorder.record(event(i)));
        }
        more.forEach(f -> assertDeferred(failure(f)));
        assertTrue(rig.spooled().size() >= 3, "one file per batch: " + rig.spooled());
        assertEquals(8, rig.pending(recorder));
        rig.flaky.down = false;
        eventually(() -> rig.pending(recorder) == 0 && rig.spooled().isEmpty(), "backlog written");

        assertEquals("9", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
        List<Integer> records = new ArrayList<>();
        rig.redis.call("LRANGE", "usage:records:key-1", "0", "-1").forEach(r -> records.add(millis(r.toString())));
        assertEquals(List.of(349, 348, 347, 346, 345, 344, 343, 342, 341), records, "newest first, as if in order");
        List<Integer> events = new ArrayList<>();
        rig.redis.call("XRANGE", "billing:events", "-", "+").forEach(e -> events.add(millis(e.get(1).get(1)
                .toString())));
        assertEquals(List.of(341, 342, 343, 344, 345, 346, 347, 348, 349), events);
        List<Long> seqs = rig.markersSent().stream().map(m -> Long.parseLong(m.split(" ")[1])).toList();
        assertEquals(seqs.stream().sorted().distinct().toList(), seqs, "each batch sent once, in order");
    }

    @Test
    void requestsArrivingDuringAnOutageShareASpoolFile() {
        UsageRecorder recorder = rig.recorder(UsageRig.FAST.withSpoolLingerMs(300));
        TestRedis.await(recorder.record(event(0)));
        rig.flaky.down = true;
        assertDeferred(failure(recorder.record(event(1)))); // the frozen head, spooled alone

        List<Future<RecordedUsage>> burst = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            burst.add(recorder.record(event(i)));
        }
        burst.forEach(f -> assertDeferred(failure(f)));

        List<String> files = rig.spooled();
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.endsWith("-5.json")), "five requests in one file: " + files);
    }

    @Test
    void aPipelineWithoutAnswerIsSpooledButNeverSentTwice() throws InterruptedException {
        UsageRecorder recorder = rig.recorder(UsageRig.FAST.withStallMs(500));
        TestRedis.await(recorder.record(event(0)));
        rig.flaky.holding = true;

        assertDeferred(failure(recorder.record(event(1))));
        eventually(() -> rig.spooled().size() == 1, "the stalled batch spooled");
        assertDeferred(failure(recorder.record(event(2))));
        assertEquals(2, rig.spooled().size());
        Thread.sleep(300); // several retry periods: still the one pipeline, waiting
        assertEquals(1, rig.flaky.heldCount());
        rig.flaky.release();
        eventually(() -> rig.pending(recorder) == 0 && rig.spooled().isEmpty(), "written once answered");

        assertEquals("3", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
        assertEquals(3, rig.flaky.pipelines.size());
    }

    @Test
    void withoutAWritableSpoolUsageWaitsInMemoryUpToTheLimit() throws IOException {
        Path notAFolder = Files.writeString(spool.resolve("occupied"), "a file where the spool folder should be");
        UsageRecorder recorder = rig.recorder(UsageRig.FAST.withMaxMemoryEvents(3), notAFolder);
        TestRedis.await(recorder.record(event(0)));
        rig.flaky.down = true;

        for (int i = 1; i <= 3; i++) {
            Throwable deferred = failure(recorder.record(event(i)));
            assertDeferred(deferred);
            assertTrue(deferred.getMessage().contains("in memory"), deferred.getMessage());
        }
        Throwable dropped = failure(recorder.record(event(4)));
        assertFalse(dropped instanceof UsageDeferred);
        assertTrue(dropped.getMessage().contains("dropped"), dropped.getMessage());
        assertEquals(1, rig.failures(recorder, UsageWriteMetrics.DROPPED));
        assertEquals(3, rig.pending(recorder));
        rig.flaky.down = false;
        eventually(() -> rig.pending(recorder) == 0, "memory backlog written");

        assertEquals("4", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
    }

    @Test
    void closingSpoolsWhatRedisHasNotConfirmedForTheNextStart() {
        UsageRecorder recorder = rig.recorder(UsageRig.FAST.withDrainMs(100));
        TestRedis.await(recorder.record(event(0)));
        rig.flaky.holding = true;
        Future<RecordedUsage> inFlight = recorder.record(event(1));

        recorder.close();
        assertEquals(1, rig.spooled().size());
        rig.flaky.failHeld(); // the process is gone, and its connection with the unsent pipeline
        assertDeferred(failure(inFlight));
        UsageRecorder next = rig.recorder();
        eventually(() -> rig.spooled().isEmpty() && rig.pending(next) == 0, "replayed by the next start");

        assertEquals("2", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
    }

    private static int millis(String json) {
        Matcher m = TIMESTAMP.matcher(json);
        assertTrue(m.find(), json);
        return Integer.parseInt(m.group(1));
    }
}
