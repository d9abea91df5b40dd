package dev.relay.admin.usage;

import dev.relay.store.LegacyValues;
import dev.relay.usage.CostCalculator;
import dev.relay.usage.UsageStatsReader.ModelCounter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One period's tokens, requests and cost summed over per-model counters, each model priced on its own (the trend
 * charts); counters without a model are priced as the legacy prices them, as {@code unknown}.
 */
record PeriodTotals(long input, long output, long cacheCreate, long cacheRead, long requests, double cost) {
    private static final Pattern MODEL = Pattern.compile("usage:(?:actual_model|model):(?:daily|hourly):(.+):\\d{4}-\\d{2}-\\d{2}(?::\\d{2})?$");

    static PeriodTotals ofModels(CostCalculator costs, List<ModelCounter> counters) {
        long input = 0;
        long output = 0;
        long cacheCreate = 0;
        long cacheRead = 0;
        long requests = 0;
        double cost = 0;
        for (ModelCounter counter : counters) {
            Matcher m = MODEL.matcher(counter.name());
            if (!m.find() || counter.fields().isEmpty()) {
                continue;
            }
            long[] t = tokens(counter.fields());
            input += t[0];
            output += t[1];
            cacheCreate += t[2];
            cacheRead += t[3];
            requests += LegacyValues.parseInt(counter.fields().get("requests"));
            cost += ModelCosts.of(costs, m.group(1), 0, t).cost().total();
        }
        return new PeriodTotals(input, output, cacheCreate, cacheRead, requests, cost);
    }

    /** Key counters (no model): the sum priced as {@code unknown}. */
    static PeriodTotals ofKeys(CostCalculator costs, List<Map<String, String>> counters) {
        long[] sum = new long[4];
        long requests = 0;
        for (Map<String, String> fields : counters) {
            long[] t = tokens(fields);
            for (int i = 0; i < 4; i++) {
                sum[i] += t[i];
            }
            requests += LegacyValues.parseInt(fields.get("requests"));
        }
        double cost = ModelCosts.of(costs, "unknown", 0, sum).cost().total();
        return new PeriodTotals(sum[0], sum[1], sum[2], sum[3], requests, cost);
    }

    long totalTokens() {
        return input + output + cacheCreate + cacheRead;
    }

    private static long[] tokens(Map<String, String> f) {
        return new long[] {LegacyValues.parseInt(f.get("inputTokens")), LegacyValues.parseInt(f.get("outputTokens")),
                LegacyValues.parseInt(f.get("cacheCreateTokens")), LegacyValues.parseInt(f.get("cacheReadTokens"))};
    }
}
