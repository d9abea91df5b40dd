package dev.relay.store;

/**
 * Outcome of {@link ConcurrencyLeases#acquire}.
 *
 * @param admitted whether the lease is now held
 * @param count leases held: including ours when admitted; the others' count when refused (the legacy 429 body's
 *              {@code currentConcurrency}, relay.md §3.4)
 */
public record LeaseResult(boolean admitted, long count) {
}
