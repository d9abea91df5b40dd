package dev.relay.usage;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Request cost in USD (relay.md §8.2, §8.3). Two variants exist because the legacy books two different figures:
 * the key side splits cache creation into 5m and 1h prices, the account side prices all of it at the 5m price
 * (fixture 04: key 0.0105375, account 0.010425 for the same request).
 */
@Singleton
public class CostCalculator {
    /** Hard-coded long-context prices ({@code longContextPricing}), used for every {@code [1m]} model. */
    static final double LONG_CONTEXT_INPUT = 0.000006;
    static final double LONG_CONTEXT_OUTPUT = 0.0000225;
    static final long LONG_CONTEXT_THRESHOLD = 200_000;
    private static final double MILLION = 1_000_000;
    /** costCalculator.js's static {@code unknown} prices per million tokens (account side only). */
    private static final double UNKNOWN_INPUT_M = 3;
    private static final double UNKNOWN_OUTPUT_M = 15;
    private static final double UNKNOWN_CACHE_WRITE_M = 3.75;
    private static final double UNKNOWN_CACHE_READ_M = 0.3;

    private final PriceBook prices;

    public CostCalculator(PriceBook prices) {
        this.prices = prices;
    }

    /** Both figures with one price lookup (so a fallback is counted once per request). */
    public RequestCost costs(String model, Usage usage) {
        PriceMatch match = prices.price(model);
        return new RequestCost(keyCost(match, usage), accountCost(match, usage));
    }

    /** The key-side cost (relay.md §8.2). */
    public Cost keyCost(String model, Usage usage) {
        return keyCost(prices.price(model), usage);
    }

    /** The account-side cost ({@code account_usage:*}). */
    public Cost accountCost(String model, Usage usage) {
        return accountCost(prices.price(model), usage);
    }

    /**
     * JavaScript {@code Number(x.toFixed(6))}, as the legacy rounds the costs it books: exact decimal value of the
     * double, ties away from zero.
     */
    static double toFixed6(double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    /** Only {@code [1m]} models above 200k prompt tokens (input + cache creation + cache read). */
    public static boolean isLongContext(String model, Usage usage) {
        return model != null && model.contains("[1m]")
                && usage.inputTokens() + usage.effectiveCacheCreateTokens() + usage.cacheReadTokens()
                        > LONG_CONTEXT_THRESHOLD;
    }

    private Cost keyCost(PriceMatch match, Usage usage) {
        String model = match.model();
        boolean longContext = isLongContext(model, usage);
        if (!match.priced()) {
            return Cost.zero(longContext);
        }
        ModelPrice p = match.price();
        double input = usage.inputTokens() * (longContext ? LONG_CONTEXT_INPUT : p.input());
        double output = usage.outputTokens() * (longContext ? LONG_CONTEXT_OUTPUT : p.output());
        double cacheRead = usage.cacheReadTokens() * p.cacheRead();
        double ephemeral5m = 0;
        double ephemeral1h = 0;
        double cacheCreate;
        if (usage.hasCacheBreakdown()) {
            ephemeral5m = usage.ephemeral5mTokens() * p.cacheCreate();
            ephemeral1h = usage.ephemeral1hTokens() * oneHourPrice(model, p);
            cacheCreate = ephemeral5m + ephemeral1h;
        } else {
            cacheCreate = usage.cacheCreateTokens() * p.cacheCreate();
        }
        double total = input + output + cacheCreate + cacheRead;
        return new Cost(input, output, cacheCreate, cacheRead, ephemeral5m, ephemeral1h, total, longContext, true);
    }

    /**
     * utils/costCalculator.js as it runs for the account counters: it never sees the 5m/1h split, delegates
     * {@code [1m]} models to §8.2, otherwise prices per million tokens (the order of operations matters for the
     * doubles), bills OpenAI cache writes at the input price when there is no cache price, and uses static
     * Sonnet-like prices when nothing matched.
     */
    private Cost accountCost(PriceMatch match, Usage usage) {
        Usage flat = usage.withoutCacheBreakdown();
        String model = match.model();
        if (model.contains("[1m]")) {
            return keyCost(match, flat);
        }
        double inputM;
        double outputM;
        double cacheWriteM;
        double cacheReadM;
        if (match.priced()) {
            ModelPrice p = match.price();
            inputM = p.input() * MILLION;
            outputM = p.output() * MILLION;
            cacheWriteM = p.cacheCreate() * MILLION;
            cacheReadM = p.cacheRead() * MILLION;
            if (cacheWriteM == 0 && isOpenAi(model, p)) {
                cacheWriteM = inputM;
            }
        } else {
            inputM = UNKNOWN_INPUT_M;
            outputM = UNKNOWN_OUTPUT_M;
            cacheWriteM = UNKNOWN_CACHE_WRITE_M;
            cacheReadM = UNKNOWN_CACHE_READ_M;
        }
        double input = (flat.inputTokens() / MILLION) * inputM;
        double output = (flat.outputTokens() / MILLION) * outputM;
        double cacheCreate = (flat.cacheCreateTokens() / MILLION) * cacheWriteM;
        double cacheRead = (flat.cacheReadTokens() / MILLION) * cacheReadM;
        double total = input + output + cacheCreate + cacheRead;
        return new Cost(input, output, cacheCreate, cacheRead, 0, 0, total, false, match.priced());
    }

    /**
     * 1h cache-write price: the price file's {@code cache_creation_input_token_cost_above_1hr} (what the fixtures
     * show), else the legacy's hard-coded by-name prices.
     */
    static double oneHourPrice(String model, ModelPrice p) {
        if (p.hasCacheCreate1h()) {
            return p.cacheCreate1h();
        }
        String lower = model.toLowerCase(Locale.ROOT);
        if (lower.contains("opus")) {
            return 0.00003;
        }
        if (lower.contains("sonnet")) {
            return 0.000006;
        }
        if (lower.contains("haiku")) {
            return 0.0000016;
        }
        return 0;
    }

    private static boolean isOpenAi(String model, ModelPrice p) {
        String lower = model.toLowerCase(Locale.ROOT);
        return lower.contains("gpt") || lower.contains("o1") || "openai".equals(p.provider());
    }
}
