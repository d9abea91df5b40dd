package dev.relay.gateway.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.AccountProfile;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ConsoleSettings;
import dev.relay.usage.ModelPrice;
import dev.relay.usage.PriceBook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 20: the model list comes from data (price file, accounts, a setting), with current ids and names. */
@Tag("fast")
class ModelCatalogTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    static ModelPrice price(String name, String provider, String deprecated) {
        return new ModelPrice(name, 1e-6, 5e-6, 0, Double.NaN, 0, provider, 0, 0, deprecated);
    }

    static ClaudeConsoleAccount account(Map<String, String> mapping, List<String> allowList) {
        return new ClaudeConsoleAccount(new AccountProfile("a", "n", "", "shared", 50, true, "active", true, "", "",
                "", "", "", ""), new ConsoleSettings("http://h", "k", mapping, allowList, "", 60, 0), "", "", 0,
                false, Map.of());
    }

    static final List<ModelPrice> PRICES = List.of(
            price("claude-3-opus-20240229", "anthropic", "2025-03-01"),
            price("claude-3-7-sonnet-latest", "anthropic", null),
            price("claude-4-opus-20250514", "anthropic", null),
            price("claude-opus-4-1", "anthropic", null),
            price("claude-opus-4-1-20250805", "anthropic", null),
            price("claude-sonnet-4-5-20250929", "anthropic", null),
            price("claude-future-9-20270101", "anthropic", "2026-06-01"),
            price("anthropic.claude-opus-4-1-20250805-v1:0", "bedrock_converse", null),
            price("gpt-5", "openai", null));

    @Test
    void thePriceFilesCurrentFirstPartyClaudeIdsNewestFirst() {
        List<String> ids = ModelCatalog.ids(PRICES, List.of(), List.of(), Set.of(), NOW);
        assertEquals(List.of("claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805"), ids);
    }

    @Test
    void theSettingAddsAndHides() {
        List<String> ids = ModelCatalog.ids(PRICES, List.of(), List.of("claude-opus-4-5-20251101", "gw-model",
                "claude-opus-5-5"), Set.of("claude-opus-4-1-20250805"), NOW);
        assertEquals(List.of("claude-opus-5-5", "claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929", "gw-model"),
                ids);
    }

    @Test
    void accountMappingsAddTheirNamesAndRestrictedPoolsOfferOnlyThem() {
        ClaudeConsoleAccount mapped = account(Map.of("claude-sonnet-4-6", "vendor-sonnet"), List.of());
        ClaudeConsoleAccount allowed = account(Map.of(), List.of("claude-haiku-4-5-20251001"));
        assertEquals(List.of("claude-sonnet-4-6", "claude-haiku-4-5-20251001"),
                ModelCatalog.ids(PRICES, List.of(mapped, allowed), List.of(), Set.of(), NOW));

        ClaudeConsoleAccount open = account(Map.of(), List.of());
        List<String> all = ModelCatalog.ids(PRICES, List.of(mapped, open), List.of(), Set.of(), NOW);
        assertTrue(all.containsAll(List.of("claude-sonnet-4-6", "claude-sonnet-4-5-20250929")), all.toString());
    }

    @Test
    void displayNamesAndReleaseDatesFromTheId() {
        assertEquals("Claude Opus 4.5", new ClaudeModelId("claude-opus-4-5-20251101").displayName());
        assertEquals("Claude Sonnet 4", new ClaudeModelId("claude-sonnet-4-20250514").displayName());
        assertEquals("Claude Haiku 3.5", new ClaudeModelId("claude-3-5-haiku-20241022").displayName());
        assertEquals("Claude Sonnet 4.6", new ClaudeModelId("claude-sonnet-4-6").displayName());
        assertEquals("gw-model", new ClaudeModelId("gw-model").displayName());
        assertEquals("Claude Mythos 5.2", new ClaudeModelId("claude-mythos-5-2").displayName());
        assertEquals(505, new ClaudeModelId("claude-opus-5-5").version());
        assertEquals(Instant.parse("2025-11-01T00:00:00Z").getEpochSecond(),
                new ClaudeModelId("claude-opus-4-5-20251101").releasedEpochSecond());
        assertEquals(0, new ClaudeModelId("claude-sonnet-4-6").releasedEpochSecond());
        assertFalse(new ClaudeModelId("claude-4-opus-20250514").anthropicNaming());
    }

    /** The bundled price file alone: no retired Claude 3 model, today's Sonnet 4.5 present. */
    @Test
    void theBundledPriceFile() {
        PriceBook book = new PriceBook(null, new SimpleMeterRegistry());
        List<String> ids = ModelCatalog.ids(book.table().entries(), List.of(), List.of(), Set.of(), NOW);
        assertTrue(ids.contains("claude-sonnet-4-5-20250929"), ids.toString());
        assertTrue(ids.stream().noneMatch(id -> id.startsWith("claude-3")), ids.toString());
    }
}
