package dev.relay.usage;

import dev.relay.store.LegacyClock;

/**
 * Turns one request into the Redis writes the legacy's {@code recordUsageWithDetails} makes for it (relay.md §6.4,
 * redis-keys.md §5, ordering 2) and into what that call returns, with the differences {@link UsageRecorder}
 * lists. Writes nothing itself.
 */
final class UsagePlanner {
    private final CostCalculator costs;
    private final UsageCounters counters;

    UsagePlanner(LegacyClock clock, CostCalculator costs) {
        this.costs = costs;
        this.counters = new UsageCounters(clock);
    }

    /**
     * The writes of one request; with {@code accountHash} and {@code lastUsedAt} also the {@code lastUsedAt} of
     * the account hash that served it, which the legacy writes after every upstream call.
     */
    Plan plan(UsageEvent e, String accountHash, String lastUsedAt) {
        Usage u = e.usage();
        String model = ModelKeyName.costModel(e.requestedModel(), u.model());
        RequestCost cost = costs.costs(model, u);
        Cost key = cost.key();
        long cc = u.effectiveCacheCreateTokens();
        long total = u.inputTokens() + u.outputTokens() + cc + u.cacheReadTokens();
        double rounded = CostCalculator.toFixed6(key.total());
        double fuelCost = 0;
        double billable = rounded;

        UsageWrites out = new UsageWrites();
        counters.keyUsage(out, e, model, cc, key.longContext());
        if (key.total() > 0) {
            counters.keyCost(out, e, model, key.total());
        }
        out.touchApiKey("apikey:" + e.keyId(), LegacyClock.iso(e.at()));
        if (e.accountId() != null && !e.accountId().isEmpty()) {
            counters.accountUsage(out, e, model, cc, cost.account().total(), key.longContext());
        }
        BillingRecords.usageRecord(out, e, model, cc, total, key, rounded, fuelCost, billable);
        BillingRecords.billingEvent(out, e, model, cc, total, key);
        if (e.windowActive()) {
            if (total > 0) {
                out.incr("rate_limit:tokens:" + e.keyId(), total);
            }
            if (billable > 0) {
                out.incrFloat("rate_limit:cost:" + e.keyId(), billable);
            }
        }
        if (accountHash != null && lastUsedAt != null) {
            out.setLatest(accountHash, "lastUsedAt", lastUsedAt);
        }
        return new Plan(out, new RecordedUsage(total, rounded, fuelCost, billable, key));
    }

    /** The writes of one request and what recording it returns. */
    record Plan(UsageWrites writes, RecordedUsage result) {
    }
}
