package dev.relay.usage;

/**
 * What {@link UsageSink#record} returns (legacy {@code recordUsageWithDetails}): {@code totalCost},
 * {@code fuelCost} and {@code billableCost} rounded like {@code toFixed(6)}; {@code cost} is the unrounded
 * key-side cost.
 */
public record RecordedUsage(long totalTokens, double totalCost, double fuelCost, double billableCost, Cost cost) {
}
