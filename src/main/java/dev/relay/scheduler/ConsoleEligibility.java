package dev.relay.scheduler;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.store.LegacyValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Whether a Claude Console account may take a request (relay.md §4.2 pool and sticky rules). */
public final class ConsoleEligibility {
    static final Duration OVERLOAD_WINDOW = Duration.ofMinutes(10);

    private ConsoleEligibility() {
    }

    /** Eligible for the shared pool. */
    public static boolean inPool(ClaudeConsoleAccount a, String model, Instant now) {
        return "shared".equals(a.accountType()) && usable(a, model, now);
    }

    /** Usable at all (dedicated bindings and sticky reuse skip the shared-type check). */
    public static boolean usable(ClaudeConsoleAccount a, String model, Instant now) {
        boolean recoveredFromRateLimit = rateLimitElapsed(a, now);
        boolean active = a.active() || recoveredFromRateLimit;
        boolean statusOk = "active".equals(a.status())
                || (recoveredFromRateLimit && "rate_limited".equals(a.status()));
        return active && statusOk && (a.schedulable() || recoveredFromRateLimit)
                && !rateLimited(a, now) && supportsModel(a, model) && !subscriptionExpired(a, now);
    }

    /** Sticky reuse additionally honours a recent 529 (relay.md §7.2). */
    public static boolean usableForSticky(ClaudeConsoleAccount a, String model, Instant now) {
        return usable(a, model, now) && !overloaded(a, now);
    }

    public static boolean rateLimited(ClaudeConsoleAccount a, Instant now) {
        if (!"limited".equals(a.rateLimitStatus())) {
            return false;
        }
        Instant since = LegacyValues.parseIso(a.rateLimitedAt());
        return since == null || now.isBefore(since.plus(rateLimitDuration(a)));
    }

    /** The account was auto-stopped by a 429 whose duration has passed: it counts as recovered. */
    public static boolean rateLimitElapsed(ClaudeConsoleAccount a, Instant now) {
        if (!"limited".equals(a.rateLimitStatus())) {
            return false;
        }
        Instant since = LegacyValues.parseIso(a.rateLimitedAt());
        return since != null && !now.isBefore(since.plus(rateLimitDuration(a)));
    }

    /**
     * When a shared account that could serve {@code model} is back in the pool, if a rate limit is all that keeps
     * it out now; empty otherwise.
     */
    public static Optional<Instant> backInPoolAt(ClaudeConsoleAccount a, String model, Instant now) {
        if (!"shared".equals(a.accountType()) || !rateLimited(a, now) || !supportsModel(a, model)
                || subscriptionExpired(a, now) || !("active".equals(a.status()) || "rate_limited".equals(a.status()))) {
            return Optional.empty();
        }
        Instant since = LegacyValues.parseIso(a.rateLimitedAt());
        return since == null ? Optional.empty() : Optional.of(since.plus(rateLimitDuration(a)));
    }

    static Duration rateLimitDuration(ClaudeConsoleAccount a) {
        return Duration.ofMinutes(a.rateLimitDurationMinutes() > 0 ? a.rateLimitDurationMinutes() : 60);
    }

    static boolean overloaded(ClaudeConsoleAccount a, Instant now) {
        if (!"overloaded".equals(a.overloadStatus())) {
            return false;
        }
        Instant since = LegacyValues.parseIso(a.overloadedAt());
        return since != null && now.isBefore(since.plus(OVERLOAD_WINDOW));
    }

    public static boolean supportsModel(ClaudeConsoleAccount a, String model) {
        if (model == null) {
            return true;
        }
        if (!a.modelMapping().isEmpty()) {
            if (a.modelMapping().containsKey(model)) {
                return true;
            }
            String lower = model.toLowerCase(Locale.ROOT);
            return a.modelMapping().keySet().stream().anyMatch(k -> k.toLowerCase(Locale.ROOT).equals(lower));
        }
        return a.modelAllowList().isEmpty() || a.modelAllowList().contains(model);
    }

    /** The model the upstream gets: the mapping's value (exact key, then case-insensitive), else unchanged. */
    public static String mappedModel(dev.relay.account.ConsoleLikeAccount a, String model) {
        if (model == null || a.modelMapping().isEmpty()) {
            return model;
        }
        String exact = a.modelMapping().get(model);
        if (exact != null) {
            return exact;
        }
        String lower = model.toLowerCase(Locale.ROOT);
        return a.modelMapping().entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(lower))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(model);
    }

    static boolean subscriptionExpired(ClaudeConsoleAccount a, Instant now) {
        Instant expiry = LegacyValues.parseIso(a.subscriptionExpiresAt());
        return expiry != null && !expiry.isAfter(now);
    }
}
