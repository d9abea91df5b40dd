package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.impl.types.ErrorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How Vert.x Redis 4.5 reports errors of a pipelined MULTI/EXEC, and what the usage queue makes of them: a command
 * refused while EXEC runs leaves the rest applied (not retried); a transaction Redis cannot queue is kept aside.
 */
class UsageTransactionTest {
    @TempDir
    Path spool;
    final TestRedis redis = new TestRedis().flush();

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void aCommandRefusedWhileExecRunsDoesNotFailThePipeline() {
        redis.call("SET", "odd", "x");
        List<Request> sent = List.of(Request.cmd(Command.MULTI), Request.cmd(Command.HINCRBY).arg("odd").arg("f").arg(1),
                Request.cmd(Command.SET).arg("other").arg("y"), Request.cmd(Command.EXEC));

        List<String> refused = UsageTransaction.refusedInside(sent, TestRedis.await(redis.store.batch(sent)));

        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("HINCRBY odd f 1 → WRONGTYPE"), refused.get(0));
        assertEquals("y", redis.call("GET", "other").toString(), "the rest was applied");
    }

    @Test
    void aCommandRedisCannotQueueAbortsTheWholeTransaction() {
        List<Request> sent = List.of(Request.cmd(Command.MULTI), Request.cmd(Command.SET).arg("other").arg("y"),
                Request.cmd(Command.create("NOSUCHCOMMAND")).arg("a"), Request.cmd(Command.EXEC));

        Throwable failure = UsageRig.failure(redis.store.batch(sent));

        assertTrue(failure.getMessage().contains("EXECABORT"), failure.getMessage());
        assertTrue(UsageTransaction.refusedForGood(failure), failure.getMessage());
        assertEquals(0, redis.call("EXISTS", "other").toLong(), "nothing applied");
    }

    @Test
    void refusalsThatPassAreNotForGood() {
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("ERR [1] OOM command not allowed when used "
                + "memory > 'maxmemory'.\nERR [3] EXECABORT Transaction discarded because of previous errors.")));
        assertFalse(UsageTransaction.refusedForGood(ErrorType.create("ERR [2] READONLY You can't write against a read "
                + "only replica.\nERR [3] EXECABORT Transaction discarded because of previous errors.")));
        assertFalse(UsageTransaction.refusedForGood(new java.io.IOException("Connection reset")));
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
    void aBatchRedisCanNeverQueueIsKeptAsideAndTheNextOneIsWritten() throws Exception {
        UsageWriteMetrics metrics = new UsageWriteMetrics(new SimpleMeterRegistry());
        UsageWriteQueue queue = new UsageWriteQueue(redis.store, redis.vertx, w -> {
            List<Request> commands = new java.util.ArrayList<>(w.render("return 0", 60, 200, 60, "billing:events",
                    "100"));
            if (w.increments.containsKey("poison")) {
                commands.add(Request.cmd(Command.create("NOSUCHCOMMAND")).arg("poison"));
            }
            return commands;
        }, spool, metrics, UsageRig.FAST);
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
