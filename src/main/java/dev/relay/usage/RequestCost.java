package dev.relay.usage;

/**
 * Both figures the legacy books for one request: {@code key} (relay.md §8.2, API-key counters, records, billing)
 * and {@code account} (utils/costCalculator.js, {@code account_usage:*} cost, all cache creation at the 5m price).
 */
public record RequestCost(Cost key, Cost account) {
}
