package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.store.LegacyValues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class CostCalculatorTest {
    private static final PriceBook PRICES = new PriceBook((Path) null, new SimpleMeterRegistry());
    private final CostCalculator calculator = new CostCalculator(PRICES);

    @Test
    void fixture04KeyCostSplitsFiveMinuteAndOneHourCache() {
        Cost cost = calculator.keyCost("claude-sonnet-4-20250514", new Usage(1200, 345, 200, 3000, 150, 50, null));
        // the exact strings the legacy wrote into usage:records / billing:events
        assertEquals("0.0036", LegacyValues.formatNumber(cost.input()));
        assertEquals("0.005175", LegacyValues.formatNumber(cost.output()));
        assertEquals("0.0008625000000000001", LegacyValues.formatNumber(cost.cacheCreate()));
        assertEquals("0.0009", LegacyValues.formatNumber(cost.cacheRead()));
        assertEquals("0.0005625000000000001", LegacyValues.formatNumber(cost.ephemeral5m()));
        assertEquals("0.00030000000000000003", LegacyValues.formatNumber(cost.ephemeral1h()));
        assertEquals("0.0105375", LegacyValues.formatNumber(cost.total()));
        assertTrue(cost.priced());
        assertFalse(cost.longContext());
    }

    @Test
    void fixture04AccountCostPricesAllCacheCreationAtTheFiveMinutePrice() {
        Cost cost = calculator.accountCost("claude-sonnet-4-20250514", new Usage(1200, 345, 200, 3000, 150, 50, null));
        assertEquals("0.010425", LegacyValues.formatNumber(cost.total()));
    }

    @Test
    void fixture06OpusCosts() {
        RequestCost cost = calculator.costs("claude-opus-4-20250514", new Usage(2000, 500, 1000, 5000, 400, 600, null));
        assertEquals("0.1005", LegacyValues.formatNumber(cost.key().total()));
        assertEquals("0.018000000000000002", LegacyValues.formatNumber(cost.key().ephemeral1h()));
        assertEquals("0.025500000000000002", LegacyValues.formatNumber(cost.key().cacheCreate()));
        // per-million arithmetic gives 0.09375 exactly (per-token would give 0.09375000000000001)
        assertEquals("0.09375", LegacyValues.formatNumber(cost.account().total()));
    }

    @Test
    void withoutTheBreakdownAllCacheCreationUsesTheFiveMinutePrice() {
        Cost cost = calculator.keyCost("claude-sonnet-4-20250514", new Usage(0, 0, 1000, 0, 0, 0, null));
        assertEquals(1000 * 3.75e-6, cost.cacheCreate());
        assertEquals(0, cost.ephemeral5m());
        assertEquals(0, cost.ephemeral1h());
    }

    @Test
    void oneHourPriceFallsBackToTheHardCodedFamilyPriceWhenTheFileHasNone() {
        // claude-4-opus-20250514 has no cache_creation_input_token_cost_above_1hr in the file
        Cost cost = calculator.keyCost("claude-4-opus-20250514", new Usage(0, 0, 0, 0, 0, 100, null));
        assertEquals(100 * 0.00003, cost.ephemeral1h());
    }

    @Test
    void longContextOnlyForOneMillionModelsAbove200kPromptTokens() {
        Usage big = new Usage(150_000, 1000, 0, 60_000, 0, 0, null);
        Cost cost = calculator.keyCost("claude-sonnet-4-20250514[1m]", big);
        assertTrue(cost.longContext());
        assertEquals(150_000 * 0.000006, cost.input());
        assertEquals(1000 * 0.0000225, cost.output());
        assertEquals(60_000 * 3e-7, cost.cacheRead());

        Usage exactly = new Usage(140_000, 1000, 0, 60_000, 0, 0, null);
        assertFalse(calculator.keyCost("claude-sonnet-4-20250514[1m]", exactly).longContext());
        assertFalse(calculator.keyCost("claude-sonnet-4-20250514", big).longContext());
        assertEquals(150_000 * 3e-6, calculator.keyCost("claude-sonnet-4-20250514", big).input());
    }

    @Test
    void unknownModelIsFreeOnTheKeySideButLegacyDefaultOnTheAccountSide() {
        RequestCost cost = calculator.costs("mystery-model", new Usage(1_000_000, 1_000_000, 0, 0, 0, 0, null));
        assertEquals(0, cost.key().total());
        assertFalse(cost.key().priced());
        assertEquals(18.0, cost.account().total());
    }

    @Test
    void familyFallbackPricesAFutureClaudeModel() {
        Cost cost = calculator.keyCost("claude-opus-5-5", new Usage(1000, 0, 0, 0, 0, 0, null));
        assertTrue(cost.priced());
        assertEquals(1000 * 1.5e-5, cost.total());
    }

    @Test
    void toFixedSixRoundsTheExactBinaryValue() {
        assertEquals(0.010537, CostCalculator.toFixed6(0.0105375)); // 0.01053749999… in binary
        assertEquals(0.1005, CostCalculator.toFixed6(0.1005));
        assertEquals(0.000002, CostCalculator.toFixed6(0.0000015));
        assertEquals(0, CostCalculator.toFixed6(4e-7));
    }
}
