package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class PriceBookTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    Path dir;

    @BeforeEach
    void listen() {
        Logger.getLogger(PriceBook.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(PriceBook.class.getName()).removeHandler(capture);
    }

    @Test
    void bundledFileFollowsTheLegacyLookupOrder() {
        PriceBook book = new PriceBook((Path) null, meters);
        assertTrue(book.table().size() > 1000);
        ModelPrice sonnet = book.find("claude-sonnet-4-20250514").orElseThrow();
        assertEquals(3e-6, sonnet.input());
        assertEquals(1.5e-5, sonnet.output());
        assertEquals(3.75e-6, sonnet.cacheCreate());
        assertEquals(6e-6, sonnet.cacheCreate1h());
        assertEquals(3e-7, sonnet.cacheRead());
        assertEquals("anthropic", sonnet.provider());
        // fuzzy: the [1m] suffix is not in the file, the dash-free name contains the plain model's
        assertEquals("claude-sonnet-4-20250514", book.find("claude-sonnet-4-20250514[1m]").orElseThrow().name());
        // Bedrock id with an unknown region prefix: the prefix is dropped
        assertEquals("anthropic.claude-opus-4-20250514-v1:0",
                book.find("apac.anthropic.claude-opus-4-20250514-v1:0").orElseThrow().name());
        assertTrue(book.find("claude-opus-5-5").isEmpty(), "no legacy match for a future model");
        assertTrue(book.find("mystery-model").isEmpty());
        assertEquals(0, meters.find(PriceBook.FALLBACK_METRIC).counters().size(), "plain lookups count nothing");
    }

    @Test
    void unpricedClaudeModelUsesTheNewestPricedModelOfItsFamilyCountedAndWarnedOnce() {
        PriceBook book = new PriceBook((Path) null, meters);

        PriceMatch first = book.price("claude-opus-5-5");
        PriceMatch second = book.price("claude-opus-5-5");

        assertEquals("claude-opus-4-1-20250805", first.price().name());
        assertEquals("opus", first.family());
        assertTrue(first.byFamily());
        assertSame(first.price(), second.price());
        assertEquals("claude-sonnet-4-5-20250929", book.price("claude-sonnet-9").price().name());
        assertEquals("claude-3-5-haiku-20241022", book.price("claude-haiku-7-0").price().name());
        assertEquals(2.0, meters.get(PriceBook.FALLBACK_METRIC).tag("model", "claude-opus-5-5")
                .tag("family", "opus").counter().count());
        assertEquals(1, warningsAbout("claude-opus-5-5"), "one WARN line per model name, not per request");
    }

    @Test
    void unknownFamilyCostsNothingButIsCountedAndWarned() {
        PriceBook book = new PriceBook((Path) null, meters);

        PriceMatch match = book.price("mystery-model");
        book.price("mystery-model");
        book.price("mystery-model");

        assertFalse(match.priced());
        assertNull(match.price());
        assertEquals("unknown", match.family());
        assertEquals(3.0, meters.get(PriceBook.FALLBACK_METRIC).tag("model", "mystery-model")
                .tag("family", "unknown").counter().count());
        assertEquals(1, warningsAbout("mystery-model"));
        assertEquals(0, new CostCalculator(book).keyCost("mystery-model",
                new Usage(1000, 1000, 0, 0, 0, 0, null)).total());
    }

    @Test
    void exactPriceIsNotAFallback() {
        PriceBook book = new PriceBook((Path) null, meters);
        PriceMatch match = book.price("claude-sonnet-4-20250514");
        assertFalse(match.byFamily());
        assertTrue(meters.find(PriceBook.FALLBACK_METRIC).counters().isEmpty());
        assertEquals(0, warnings.size());
    }

    @Test
    void operatorFileIsLoadedAndReloadSwapsTheSnapshot() throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, prices(0.001));
        PriceBook book = new PriceBook(file, meters);
        PriceTable before = book.table();
        assertEquals(0.001, book.find("claude-sonnet-4-20250514").orElseThrow().input());
        assertEquals(1, before.size());
        assertFalse(book.reloadIfChanged(), "unchanged mtime");

        Files.writeString(file, prices(0.002));
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
        assertTrue(book.reloadIfChanged());

        assertEquals(0.002, book.find("claude-sonnet-4-20250514").orElseThrow().input());
        assertEquals(0.001, before.find("claude-sonnet-4-20250514").orElseThrow().input(), "old snapshot intact");
        assertFalse(book.reloadIfChanged());

        Files.writeString(file, "{ not json");
        assertThrows(RuntimeException.class, book::reload);
        assertEquals(0.002, book.find("claude-sonnet-4-20250514").orElseThrow().input(), "broken file ignored");
    }

    @Test
    void periodicCheckPicksUpAnEditedFile() throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, prices(0.001));
        Vertx vertx = Vertx.vertx();
        try {
            PriceBook book = new PriceBook(file, meters, vertx, 50);
            Files.writeString(file, prices(0.003));
            Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
            long deadline = System.currentTimeMillis() + 5_000;
            while (book.find("claude-sonnet-4-20250514").orElseThrow().input() != 0.003
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(0.003, book.find("claude-sonnet-4-20250514").orElseThrow().input());
            book.stop();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void missingOperatorFileFallsBackToTheBundledPrices() {
        PriceBook book = new PriceBook(dir.resolve("absent.json"), meters);
        assertTrue(book.table().size() > 1000);
        assertTrue(book.table().source().startsWith("classpath:"));
        assertFalse(book.reloadIfChanged());
    }

    @Test
    void gpt5CodexFallsBackToGpt5WhenItHasNoEntry() throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"gpt-5\":{\"input_cost_per_token\":1.25e-6,\"output_cost_per_token\":1e-5}}");
        PriceBook book = new PriceBook(file, meters);
        assertEquals("gpt-5", book.find("gpt-5-codex").orElseThrow().name());
    }

    private int warningsAbout(String model) {
        synchronized (warnings) {
            return (int) warnings.stream()
                    .filter(r -> r.getMessage().contains("model " + model + ":")
                            || r.getMessage().contains("model " + model + " "))
                    .count();
        }
    }

    private static String prices(double input) {
        return "{\"sample_spec\":\"ignored\",\"claude-sonnet-4-20250514\":{\"input_cost_per_token\":" + input
                + ",\"output_cost_per_token\":0.01,\"max_tokens\":64000,\"litellm_provider\":\"anthropic\"}}";
    }
}
