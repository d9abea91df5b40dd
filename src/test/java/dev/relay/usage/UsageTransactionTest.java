package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.impl.types.ErrorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code lua/usage_batch.lua} does with refusals, and what the usage queue makes of them: a command refused for
 * its data leaves the rest applied (not retried); a server refusal fails the call before anything is applied
 * (retried); a call Redis can never run is kept aside.
 */
class UsageTransactionTest {
    static final UsageTransaction TRANSACTION = new UsageTransaction(60, 200, 60, "billing:events", "100");

    @TempDir
    Path spool;
    final TestRedis redis = new TestRedis().flush();

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void aCommandRefusedForItsDataDoesNotStopTheRest() {
        redis.call("SET", "odd", "x");
        UsageWrites writes = new UsageWrites();
        writes.hincr("odd", "f", 1);
        writes.incr("other", 5);

        List<String> refused = TestRedis.await(TRANSACTION.apply(redis.store, writes, "i1", 7));

        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("HINCRBY odd: WRONGTYPE"), refused.get(0));
        assertEquals("5", redis.call("GET", "other").toString(), "the rest was applied");
        assertEquals("7", redis.call("GET", UsageCommitMarker.key("i1")).toString(), "and the marker");
    }

    @Test
    void aServerRefusalFailsTheWholeCallBeforeAnythingIsApplied() {
        UsageWrites writes = new UsageWrites();
        writes.incr("other", 5);
        redis.call("CONFIG", "SET", "maxmemory", "1");
        try {
            Throwable failure = UsageRig.failure(TRANSACTION.apply(redis.store, writes, "i1", 1));
            assertEquals("OOM", UsageTransaction.errorCode(failure), failure.getMessage());
            assertFalse(UsageTransaction.refusedForGood(failure), failure.getMessage());
        } finally {
            redis.call("CONFIG", "SET", "maxmemory", "0");
        }
        assertEquals(0, redis.call("EXISTS", "other").toLong(), "nothing applied");
        assertEquals(0, redis.call("EXISTS", UsageCommitMarker.key("i1")).toLong());
    }

    @Test
    void aRedisThatLostTheScriptGetsItAgainInTheSameStep() {
        redis.call("SCRIPT", "FLUSH");
        UsageWrites writes = new UsageWrites();
        writes.incr("other", 5);
        assertEquals(List.of(), TestRedis.await(TRANSACTION.apply(redis.store, writes, "i1", 1)));
        assertEquals("5", redis.call("GET", "other").toString());
    }

    @Test
    void refusalsThatPassAreNotForGood() {
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("OOM command not allowed when used memory > "
                + "'maxmemory'.")));
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("READONLY You can't write against a read only "
                + "replica.")));
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("NOSCRIPT No matching script.")));
        assertFalse(UsageTransaction.refusedForGood(new java.io.IOException("Connection reset")));
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("ERR [0] io.netty.channel."
                + "StacklessClosedChannelException")), "a closed connection reported as an error reply");
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("ERR Error running script: something new")));
        assertTrue(UsageTransaction.refusedForGood(ErrorType.create("ERR usage_batch: malformed operation Z at 3")));
        assertTrue(UsageTransaction.refusedForGood(ErrorType.create("ERR [0] usage_batch: malformed operation Z at 3")));
    }

    @Test
    void usageOnALegacyKeyOfAnotherTypeIsAppliedAndNotRetried() {
        try (UsageRig rig = new UsageRig(new TestRedis(), spool)) {
            redis.call("SET", "usage:daily:key-1:2026-11-23", "not a hash");
            UsageRecorder recorder = rig.recorder();

            TestRedis.await(recorder.record(UsageRig.event(0)));

            assertEquals("1", redis.call("HGET", "usage:key-1", "totalRequests").toString());
            assertEquals("not a hash", redis.call("GET", "usage:daily:key-1:2026-11-23").toString());
            assertEquals(9, rig.failures(recorder, UsageWriteMetrics.COMMAND), "one per refused HINCRBY");
            assertEquals(1, rig.flaky.pipelines.size(), "not retried");
            assertEquals(0, rig.failures(recorder, UsageWriteMetrics.UNAVAILABLE));
            assertTrue(rig.spooled().isEmpty());
        }
    }

    @Test
    void aBatchRedisCanNeverRunIsKeptAsideAndTheNextOneIsWritten() throws Exception {
        UsageWriteMetrics metrics = new UsageWriteMetrics(new SimpleMeterRegistry());
        UsageTransaction poisoning = new UsageTransaction(60, 200, 60, "billing:events", "100") {
            @Override
            void operations(Request call, UsageWrites writes) {
                super.operations(call, writes);
                if (writes.increments.containsKey("poison")) {
                    call.arg("Z").arg("poison"); // an operation the script does not know
                }
            }
        };
        UsageWriteQueue queue = new UsageWriteQueue(redis.store, redis.vertx, poisoning, spool, metrics,
                UsageRig.FAST);
        queue.start();
        UsageWrites poisoned = new UsageWrites();
        poisoned.incr("poison", 1);
        poisoned.incr("counter", 1);
        UsageWrites good = new UsageWrites();
        good.incr("counter", 10);

        Throwable lost = UsageRig.failure(queue.submit(poisoned));
        assertFalse(lost instanceof UsageDeferred, "refused for good is not deferred: " + lost);
        TestRedis.await(queue.submit(good));
        assertEquals("10", redis.call("GET", "counter").toString(), "only the good batch applied");
        assertEquals(0, metrics.pending());
        UsageRig.eventually(() -> UsageRig.files(spool.resolve("rejected")).size() == 1, "kept in rejected/");
        String name = UsageRig.files(spool.resolve("rejected")).get(0);
        UsageWritesCodec.Stored kept = UsageWritesCodec.decode(Files.readAllBytes(spool.resolve("rejected")
                .resolve(name)));
        assertEquals(1L, kept.writes().increments.get("poison"));
        assertInstanceOf(IllegalStateException.class, lost);
        queue.close();
    }
}
