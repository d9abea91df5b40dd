package dev.relay.usage;

import static dev.relay.usage.UsageRig.assertDeferred;
import static dev.relay.usage.UsageRig.event;
import static dev.relay.usage.UsageRig.eventually;
import static dev.relay.usage.UsageRig.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.RestartableRedis;
import dev.relay.testsupport.TestRedis;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real redis-server stopped and started again, or out of memory: no usage lost, none counted twice. */
class UsageRedisOutageTest {
    private static final String ACCOUNT = "claude_console_account:acct-1";

    @TempDir
    Path data;
    @TempDir
    Path spool;
    RestartableRedis server;
    UsageRig rig;

    @BeforeEach
    void setUp() {
        server = new RestartableRedis(data);
        rig = new UsageRig(new TestRedis(server.connectionString()), spool);
    }

    @AfterEach
    void tearDown() {
        rig.close();
        server.close();
    }

    @Test
    void usageRecordedWhileRedisIsDownLandsOnceWhenItIsBack() {
        UsageRecorder steady = rig.recorder();
        for (int i = 0; i < 5; i++) {
            TestRedis.await(steady.record(event(i), ACCOUNT, UsageRig.AT.plusMillis(i).toString()));
        }
        Map<String, Object> expected = UsageState.of(rig.redis);
        rig.redis.call("FLUSHALL");
        rig.redis.call("HSET", "apikey:key-1", "id", "key-1", "name", "k");
        UsageRecorder recorder = rig.recorder();
        server.stop();

        assertDeferred(failure(recorder.record(event(0), ACCOUNT, UsageRig.AT.toString())));
        List<Future<RecordedUsage>> later = new ArrayList<>();
        for (int i = 1; i < 5; i++) {
            later.add(recorder.record(event(i), ACCOUNT, UsageRig.AT.plusMillis(i).toString()));
        }
        later.forEach(f -> assertDeferred(failure(f)));
        assertFalse(rig.spooled().isEmpty(), "spooled while Redis is down");
        assertEquals(5, rig.pending(recorder));
        assertTrue(rig.failures(recorder, UsageWriteMetrics.UNAVAILABLE) >= 1);
        server.start();
        eventually(() -> rig.pending(recorder) == 0 && rig.spooled().isEmpty(), "backlog written and unspooled");

        UsageState.assertSame(expected, UsageState.of(rig.redis));
    }

    @Test
    void aTransactionRefusedForLackOfMemoryIsRetriedUntilItFits() {
        UsageRecorder recorder = rig.recorder();
        TestRedis.await(recorder.record(event(0)));
        rig.redis.call("CONFIG", "SET", "maxmemory", "1");

        assertDeferred(failure(recorder.record(event(1))));
        assertEquals("1", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString(), "refused before anything was applied");
        rig.redis.call("CONFIG", "SET", "maxmemory", "0");
        eventually(() -> rig.pending(recorder) == 0 && rig.spooled().isEmpty(), "written once memory is back");

        assertEquals("2", rig.redis.call("HGET", "usage:key-1", "totalRequests").toString());
        assertEquals(2, rig.redis.call("XLEN", "billing:events").toLong());
        assertEquals(0, rig.failures(recorder, UsageWriteMetrics.REJECTED));
    }
}
