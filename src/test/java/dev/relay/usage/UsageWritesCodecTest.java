package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.redis.client.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The spool's file format keeps every part of a batch, so a replayed batch sends exactly the same commands. */
@Tag("fast")
class UsageWritesCodecTest {

    @Test
    void everyPartSurvivesTheRoundTripAndRendersTheSameCommands() throws IOException {
        UsageWrites writes = new UsageWrites();
        writes.hincr("usage:k", "totalTokens", 4745);
        writes.hincr("usage:k", "totalRequests", 1);
        writes.hincr("usage:hourly:k:2026-11-23:07", "requests", Long.MAX_VALUE - 1);
        writes.hincrFloat("account_usage:a", "totalCost", 0.1 + 0.2);
        writes.incrFloat("usage:cost:daily:k:2026-11-23", 1.0e-7);
        writes.incrFloat("rate_limit:cost:k", -0.0105375);
        writes.incr("rate_limit:tokens:k", 4745);
        writes.touchApiKey("apikey:k", "2026-11-23T07:21:53.341Z");
        writes.setLatest("claude_console_account:a", "lastUsedAt", "2026-11-23T07:21:54.000Z");
        writes.pushRecord("usage:records:k", "{\"model\":\"claude-sonnet-4\",\"note\":\"quote \\\" ünïcode ✓\"}");
        writes.billingEvent("{\"eventId\":\"1-abc\"}");
        writes.expire("usage:hourly:k:2026-11-23:07", 604_800);
        UsageWrites second = new UsageWrites();
        second.hincr("usage:k", "totalRequests", 1);
        second.pushRecord("usage:records:k", "{\"second\":true}");
        second.billingEvent("{\"eventId\":\"2-def\"}");
        writes.mergeFrom(second);
        for (Object part : List.of(writes.hashIncrements, writes.hashFloatIncrements, writes.floatIncrements,
                writes.increments, writes.apiKeyTouches, writes.latestFields, writes.records, writes.expiries)) {
            assertFalse(((java.util.Map<?, ?>) part).isEmpty());
        }

        byte[] bytes = UsageWritesCodec.encode("0123456789abcdef", 42, writes);
        UsageWritesCodec.Stored stored = UsageWritesCodec.decode(bytes);

        assertEquals("0123456789abcdef", stored.instanceId());
        assertEquals(42, stored.seq());
        assertEquals(2, stored.writes().events());
        assertEquals(List.of("{\"eventId\":\"1-abc\"}", "{\"eventId\":\"2-def\"}"), stored.writes().billingEvents);
        assertEquals(0.1 + 0.2, stored.writes().hashFloatIncrements.get("account_usage:a").get("totalCost"));
        assertEquals(Long.MAX_VALUE - 1,
                stored.writes().hashIncrements.get("usage:hourly:k:2026-11-23:07").get("requests")[0]);
        assertArrayEquals(bytes, UsageWritesCodec.encode(stored.instanceId(), stored.seq(), stored.writes()));
        assertEquals(commands(writes), commands(stored.writes()));
    }

    @Test
    void aTornOrForeignFileIsNotABatch() {
        assertThrows(IOException.class, () -> UsageWritesCodec.decode(
                "{\"format\":1,\"instanceId\":\"ab\",\"se".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> UsageWritesCodec.decode("{}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IOException.class, () -> UsageWritesCodec.decode(new byte[0]));
    }

    private static List<String> commands(UsageWrites writes) {
        Request call = Request.cmd(io.vertx.redis.client.Command.EVALSHA).arg("sha").arg(0);
        writes.appendOperations(call, 1, 200, 2, "billing:events", "100000");
        return List.of(call.toString().split("\r\n"));
    }
}
