package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.usage.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Usage capture on the exact SSE bytes the legacy's fake upstream sent in fixture 05. */
@Tag("fast")
class SseUsageTapTest {

    static String fixtureStream() throws Exception {
        JsonArray exchanges = new JsonArray(Files.readString(
                Path.of("..", "shared", "legacy", "fixtures", "05-relay-stream", "http.json")));
        return exchanges.getJsonObject(0).getJsonObject("response").getJsonObject("body").getString("raw");
    }

    @Test
    void passesBytesThroughUnchangedAndReadsUsageWhateverTheChunking() throws Exception {
        String raw = fixtureStream();
        Random random = new Random(7);
        for (int round = 0; round < 20; round++) {
            SseUsageTap tap = new SseUsageTap("claude-sonnet-4-20250514");
            Buffer out = Buffer.buffer();
            int i = 0;
            byte[] bytes = raw.getBytes();
            while (i < bytes.length) {
                int n = Math.min(bytes.length - i, 1 + random.nextInt(97));
                out.appendBuffer(tap.process(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, i, i + n))));
                i += n;
            }
            out.appendBuffer(tap.drain());
            assertEquals(raw, out.toString());
            assertTrue(tap.complete());
            Usage usage = tap.usage();
            assertEquals(1200, usage.inputTokens());
            assertEquals(345, usage.outputTokens());
            assertEquals(200, usage.cacheCreateTokens());
            assertEquals(3000, usage.cacheReadTokens());
            assertEquals(150, usage.ephemeral5mTokens());
            assertEquals(50, usage.ephemeral1hTokens());
        }
    }

    @Test
    void rewritesTheModelToTheRequestedOne() throws Exception {
        SseUsageTap tap = new SseUsageTap("my-alias");
        String out = tap.process(Buffer.buffer(fixtureStream())).toString() + tap.drain();
        String startLine = out.lines().filter(l -> l.contains("message_start")).filter(l -> l.startsWith("data:"))
                .findFirst().orElseThrow();
        assertEquals("my-alias", new JsonObject(startLine.substring(5).trim()).getJsonObject("message").getString("model"));
    }

    @Test
    void aCutStreamIsIncompleteButKeepsTheUsageSeen() throws Exception {
        String raw = fixtureStream();
        String head = raw.substring(0, raw.indexOf("content_block_delta"));
        SseUsageTap tap = new SseUsageTap("claude-sonnet-4-20250514");
        tap.process(Buffer.buffer(head));
        assertFalse(tap.complete());
        assertEquals(1200, tap.usage().inputTokens());
        assertEquals(0, tap.usage().outputTokens());
    }

    @Test
    void noMessageStartMeansNothingToBill() {
        SseUsageTap tap = new SseUsageTap("m");
        tap.process(Buffer.buffer("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
        assertNull(tap.usage());
    }
}
