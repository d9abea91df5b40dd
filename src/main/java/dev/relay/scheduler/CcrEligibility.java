package dev.relay.scheduler;

import dev.relay.account.CcrAccount;
import dev.relay.store.LegacyValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Whether a CCR account may take a {@code ccr,}-prefixed request (relay.md §4.2 step 2): active, {@code status}
 * {@code active}, schedulable, model supported, subscription not expired, not rate-limited (CCR marks a limit with
 * {@code rateLimitStatus=active}, pitfall P15; the limit lasts {@code rateLimitDuration} minutes), not overloaded.
 */
public final class CcrEligibility {
    static final Duration OVERLOAD_WINDOW = Duration.ofMinutes(10);

    private CcrEligibility() {
    }

    public static boolean inPool(CcrAccount a, String model, Instant now) {
        return "shared".equals(a.accountType()) && usable(a, model, now);
    }

    /** A {@code rate_limited} or {@code overloaded} status whose window has passed counts as recovered. */
    public static boolean usable(CcrAccount a, String model, Instant now) {
        boolean limited = rateLimited(a, now);
        boolean overloaded = overloaded(a, now);
        String status = a.status();
        boolean statusOk = "active".equals(status) || ("rate_limited".equals(status) && !limited)
                || ("overloaded".equals(status) && !overloaded);
        return a.active() && statusOk && a.schedulable() && supportsModel(a, model) && !subscriptionExpired(a, now)
                && !limited && !overloaded;
    }

    public static boolean rateLimited(CcrAccount a, Instant now) {
        String status = a.rateLimitStatus();
        if (!"active".equals(status) && !"limited".equals(status)) {
            return false;
        }
        Instant since = LegacyValues.parseIso(a.rateLimitedAt());
        int minutes = a.rateLimitDurationMinutes() > 0 ? a.rateLimitDurationMinutes() : 60;
        return since == null || now.isBefore(since.plus(Duration.ofMinutes(minutes)));
    }

    static boolean overloaded(CcrAccount a, Instant now) {
        Instant since = LegacyValues.parseIso(a.overloadedAt());
        return since != null && now.isBefore(since.plus(OVERLOAD_WINDOW));
    }

    public static boolean supportsModel(CcrAccount a, String model) {
        if (model == null) {
            return true;
        }
        if (!a.modelMapping().isEmpty()) {
            String lower = model.toLowerCase(Locale.ROOT);
            return a.modelMapping().keySet().stream().anyMatch(k -> k.equals(model)
                    || k.toLowerCase(Locale.ROOT).equals(lower));
        }
        return a.modelAllowList().isEmpty() || a.modelAllowList().contains(model);
    }

    static boolean subscriptionExpired(CcrAccount a, Instant now) {
        Instant expiry = LegacyValues.parseIso(a.subscriptionExpiresAt());
        return expiry != null && !expiry.isAfter(now);
    }
}
