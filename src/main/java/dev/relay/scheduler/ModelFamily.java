package dev.relay.scheduler;

import java.util.Locale;

/**
 * The model families Anthropic limits separately on subscription accounts (weekly Opus, weekly Sonnet, ...). The
 * legacy stores only the Opus limit ({@code opusRateLimitedAt}/{@code opusRateLimitEndAt}); relay stores the
 * others under the same pattern, which the legacy ignores.
 */
public final class ModelFamily {
    private ModelFamily() {
    }

    /** {@code opus}, {@code sonnet}, {@code haiku} or null. */
    public static String of(String model) {
        if (model == null) {
            return null;
        }
        String m = model.toLowerCase(Locale.ROOT);
        for (String family : new String[] {"opus", "sonnet", "haiku"}) {
            if (m.contains(family)) {
                return family;
            }
        }
        return null;
    }

    /** The family named by an {@code anthropic-ratelimit-unified-representative-claim} such as {@code seven_day_sonnet}. */
    public static String ofClaim(String claim) {
        if (claim == null) {
            return null;
        }
        String c = claim.toLowerCase(Locale.ROOT);
        for (String family : new String[] {"opus", "sonnet", "haiku"}) {
            if (c.endsWith("_" + family)) {
                return family;
            }
        }
        return null;
    }

    public static String limitedAtField(String family) {
        return family + "RateLimitedAt";
    }

    public static String limitEndField(String family) {
        return family + "RateLimitEndAt";
    }
}
