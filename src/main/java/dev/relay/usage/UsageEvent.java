package dev.relay.usage;

import java.time.Instant;

/**
 * One request to book. {@code requestedModel} is what the client asked for (the fork bills it, relay.md §6.4);
 * {@code accountType} is the legacy label ({@code claude}, {@code claude-console}, {@code ccr}) or null;
 * {@code userId}/{@code accountId} may be null or empty; {@code windowActive} is true when the key has a
 * rate-limit window (relay.md §3.5) so the window counters must be advanced.
 */
public record UsageEvent(
        String keyId,
        String keyName,
        String userId,
        String accountId,
        String accountType,
        String requestedModel,
        Usage usage,
        Instant at,
        boolean windowActive) {
}
