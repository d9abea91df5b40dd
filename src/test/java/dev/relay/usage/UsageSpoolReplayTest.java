package dev.relay.usage;

import static dev.relay.usage.UsageRig.assertDeferred;
import static dev.relay.usage.UsageRig.event;
import static dev.relay.usage.UsageRig.eventually;
import static dev.relay.usage.UsageRig.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process's spool is replayed by the next one to start, each batch against its own commit marker. */
class UsageSpoolReplayTest extends UsageRigTestBase {
    /** Retries far away: the "earlier process" leaves its batches in the spool. */
    private static final UsageWriteTuning NO_RETRY = UsageRig.FAST.withRetries(60_000, 60_000);

    @Test
    void theSpoolOfAnEndedProcessIsReplayedOnceByTheNextStart() {
        UsageRecorder ended = rig.recorder(NO_RETRY);
        TestRedis.await(ended.record(event(0)));
        rig.flaky.loseReplies.set(1);
        assertDeferred(failure(ended.record(event(1)))); // landed, but the process never learnt it
        rig.flaky.down = true;
        assertDeferred(failure(ended.record(event(2)))); // never landed
        List<String> files = rig.spooled();
        assertEquals(2, files.size(), files.toString());
        String id = files.get(0).split("-")[1];
        assertEquals(List.of("usage-" + id + "-2-1.json", "usage-" + id + "-3-1.json"), files);
        ended.close();
        assertEquals("2", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
        rig.flaky.down = false;

        UsageRecorder next = rig.recorder();
        eventually(() -> rig.spooled().isEmpty() && rig.pending(next) == 0, "replayed");

        assertEquals("3", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
        assertEquals(3, rig.redis.call("XLEN", "billing:events").toLong());
        assertEquals(List.of(id + " 1", id + " 2", id + " 3"), rig.markersSent(),
                "batch 2 was found applied by its marker; only batch 3 was sent again");
        assertEquals("3", rig.redis.call("GET", UsageCommitMarker.key(id)).toString());
        assertTrue(rig.redis.call("TTL", UsageCommitMarker.key(id)).toLong() > 600_000);
    }

    @Test
    void theSpoolOfALiveProcessIsLeftToIt() {
        UsageRecorder alive = rig.recorder(NO_RETRY);
        TestRedis.await(alive.record(event(0)));
        rig.flaky.down = true;
        assertDeferred(failure(alive.record(event(1))));
        eventually(() -> rig.spooled().size() == 1, "spooled");
        List<String> files = rig.spooled();
        rig.flaky.down = false;

        UsageRecorder other = rig.recorder();
        TestRedis.await(other.record(event(2))); // started: its claim of orphans is over
        assertEquals(files, rig.spooled());
        assertEquals("2", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());

        alive.close();
        UsageRecorder third = rig.recorder();
        eventually(() -> rig.spooled().isEmpty() && rig.pending(third) == 0, "replayed once its owner ended");
        assertEquals("3", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
    }
}
