package dev.relay.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a request waiting for a slot held in Redis (a key's concurrency lease, an account's user-message lock)
 * waits before its next try: growing geometrically from a first delay up to a cap, each delay jittered, as the
 * legacy's pollers do (relay.md §3.4: 200 ms ×1.5 ±20 % up to 2 s; redis-keys.md L11: 50 ms ×1.5 ±15 % up to 500 ms).
 */
public record PollBackoff(long firstMs, double factor, double jitter, long maxMs) {

    /** The delay before try {@code polls + 1} (the first wait is {@code polls = 0}), at least 1 ms, at most the cap. */
    public long delayMs(int polls) {
        double base = Math.min(firstMs * Math.pow(factor, polls), maxMs);
        double jittered = base * (1 + jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
        return (long) Math.max(1, Math.min(jittered, maxMs));
    }
}
