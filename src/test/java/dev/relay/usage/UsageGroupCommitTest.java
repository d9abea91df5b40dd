package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests billed while a pipeline is in flight are merged into the next one and lose nothing. */
class UsageGroupCommitTest extends CountingRecorderTestBase {
    @Test
    void concurrentRequestsAddUpExactlyInFewerPipelines() {
        Instant at = Instant.parse("2026-11-23T07:21:53.341Z");
        Usage usage = new Usage(1200, 345, 200, 3000, 150, 50, "claude-sonnet-4-20250514");
        redis.call("HSET", "apikey:key-1", "id", "key-1");
        List<Future<RecordedUsage>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(recorder.record(new UsageEvent("key-1", "k", null, "acct-1", "claude-console",
                    "claude-sonnet-4-20250514", usage, at.plusMillis(i), true)));
        }
        TestRedis.await(Future.all(all));

        assertTrue(roundTrips.get() < 200, "merged into fewer pipelines, was " + roundTrips.get());
        assertEquals("200", redis.call("HGET", "usage:key-1", "totalRequests").toString());
        assertEquals(String.valueOf(200 * 4745), redis.call("HGET", "usage:key-1", "totalAllTokens").toString());
        assertEquals("200", redis.call("HGET", "usage:daily:key-1:2026-11-23", "requests").toString());
        assertEquals("200", redis.call("HGET", "account_usage:acct-1", "totalRequests").toString());
        assertEquals(String.valueOf(200 * 4745), redis.call("GET", "rate_limit:tokens:key-1").toString());
        assertEquals(200, redis.call("XLEN", "billing:events").toLong());
        assertEquals(200, redis.call("LLEN", "usage:records:key-1").toLong());
        double cost = Double.parseDouble(redis.call("GET", "usage:cost:total:key-1").toString());
        assertEquals(200 * 0.0105375, cost, 1e-9);
        // the newest record is first, as sequential LPUSHes leave it
        assertTrue(redis.call("LINDEX", "usage:records:key-1", "0").toString().contains("07:21:53.540Z"));
        assertEquals("2026-11-23T07:21:53.540Z", redis.call("HGET", "apikey:key-1", "lastUsedAt").toString());
        assertTrue(redis.call("TTL", "usage:daily:key-1:2026-11-23").toLong() > 2_700_000);
    }
}
