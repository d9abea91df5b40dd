package dev.relay.usage;

/**
 * Token usage of one upstream response, as parsed from Anthropic's {@code usage} object. {@code ephemeral5mTokens}
 * and {@code ephemeral1hTokens} come from {@code cache_creation}; when either is non-zero the breakdown is
 * authoritative and {@code cacheCreateTokens} is replaced by their sum (relay.md §6.4).
 */
public record Usage(
        long inputTokens,
        long outputTokens,
        long cacheCreateTokens,
        long cacheReadTokens,
        long ephemeral5mTokens,
        long ephemeral1hTokens,
        String model) {

    public boolean hasCacheBreakdown() {
        return ephemeral5mTokens > 0 || ephemeral1hTokens > 0;
    }

    /** Cache-creation tokens as the legacy books them (the 5m+1h sum when the breakdown exists). */
    public long effectiveCacheCreateTokens() {
        return hasCacheBreakdown() ? ephemeral5mTokens + ephemeral1hTokens : cacheCreateTokens;
    }

    /** input + output + cache creation + cache read. */
    public long totalTokens() {
        return inputTokens + outputTokens + effectiveCacheCreateTokens() + cacheReadTokens;
    }

    /** The same usage without the 5m/1h split (what the legacy's account-side calculator sees). */
    public Usage withoutCacheBreakdown() {
        return new Usage(inputTokens, outputTokens, effectiveCacheCreateTokens(), cacheReadTokens, 0, 0, model);
    }
}
