package dev.relay.scheduler;

import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.store.LegacyValues;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a Claude OAuth account may take a request (relay.md §4.2 pool, sticky and model rules, §7.1 limits).
 * A rate limit counts until {@code rateLimitEndAt} (a record without it: one hour after {@code rateLimitedAt});
 * once it has passed, an account the limit stopped counts as schedulable again, as the legacy's lazy lift does.
 * Limits of one model family ({@code opusRateLimitEndAt}, and relay's {@code sonnetRateLimitEndAt} /
 * {@code haikuRateLimitEndAt}) keep the account for the other families.
 */
public final class OAuthEligibility {
    static final Duration LEGACY_RATE_LIMIT = Duration.ofHours(1);
    private static final Set<String> UNHEALTHY = Set.of("error", "blocked", "temp_error");
    private static final Pattern OPUS_VERSION = Pattern.compile("opus-(\\d+)(?:[-.](\\d{1,2})(?!\\d))?");
    private static final Pattern OLD_OPUS = Pattern.compile("claude-(\\d+)(?:[-.](\\d+))?-opus");

    private OAuthEligibility() {
    }

    /** Shared pool (§4.2 step 7): healthy, shared (or untyped), schedulable, model supported, not limited. */
    public static boolean inPool(ClaudeOAuthAccount a, String model, Instant now) {
        String type = a.accountType();
        return (LegacyValues.isBlank(type) || "shared".equals(type)) && usable(a, model, now);
    }

    /** Usable at all: a sticky session or a group member (no account-type check). */
    public static boolean usable(ClaudeOAuthAccount a, String model, Instant now) {
        return healthy(a) && schedulable(a, now) && supportsModel(a, model) && !rateLimited(a, now)
                && familyLimitEnd(a, model, now) == null;
    }

    /** Active and not in an error, blocked or temporary-error state. */
    public static boolean healthy(ClaudeOAuthAccount a) {
        return a.active() && !UNHEALTHY.contains(a.status());
    }

    /** Schedulable, or stopped by a rate limit that has passed. */
    public static boolean schedulable(ClaudeOAuthAccount a, Instant now) {
        return a.schedulable() || (a.rateLimitAutoStopped() && rateLimitEnd(a) != null && !rateLimited(a, now));
    }

    public static boolean rateLimited(ClaudeOAuthAccount a, Instant now) {
        Instant end = rateLimitEnd(a);
        return end != null && now.isBefore(end);
    }

    /** When the account-wide limit ends; null when the account carries none. */
    public static Instant rateLimitEnd(ClaudeOAuthAccount a) {
        boolean limited = "limited".equals(a.rateLimitStatus()) && !LegacyValues.isBlank(a.rateLimitedAt());
        boolean autoStopped = a.rateLimitAutoStopped() && !LegacyValues.isBlank(a.rateLimitEndAt());
        if (!limited && !autoStopped) {
            return null;
        }
        Instant end = LegacyValues.parseIso(a.rateLimitEndAt());
        if (end != null) {
            return end;
        }
        Instant since = LegacyValues.parseIso(a.rateLimitedAt());
        return since == null ? null : since.plus(LEGACY_RATE_LIMIT);
    }

    /** The end of an active limit of the model's family on this account, else null. */
    public static Instant familyLimitEnd(ClaudeOAuthAccount a, String model, Instant now) {
        String family = ModelFamily.of(model);
        if (family == null) {
            return null;
        }
        Instant end = LegacyValues.parseIso(a.field(ModelFamily.limitEndField(family)));
        return end != null && now.isBefore(end) ? end : null;
    }

    /**
     * The model must look like a Claude model; Opus is refused to free accounts and, before Opus 4.5, to Pro
     * accounts (relay.md §4.2, {@code subscriptionInfo}).
     */
    public static boolean supportsModel(ClaudeOAuthAccount a, String model) {
        if (model == null) {
            return true;
        }
        String m = model.toLowerCase(Locale.ROOT);
        if (!(m.startsWith("claude-") || m.contains("claude") || m.contains("sonnet") || m.contains("opus")
                || m.contains("haiku"))) {
            return false;
        }
        if (!m.contains("opus")) {
            return true;
        }
        JsonObject info = subscription(a.subscriptionInfo());
        if (info == null) {
            return true;
        }
        String type = info.getValue("accountType") instanceof String s ? s : "";
        if ("free".equals(type)) {
            return false;
        }
        boolean pro = "claude_pro".equals(type)
                || (Boolean.TRUE.equals(info.getValue("hasClaudePro")) && !Boolean.TRUE.equals(info.getValue("hasClaudeMax")));
        return !pro || opus45OrNewer(m);
    }

    static boolean opus45OrNewer(String model) {
        Matcher m = OPUS_VERSION.matcher(model);
        if (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            return major > 4 || (major == 4 && minor >= 5);
        }
        Matcher old = OLD_OPUS.matcher(model);
        if (old.find()) {
            int major = Integer.parseInt(old.group(1));
            int minor = old.group(2) == null ? 0 : Integer.parseInt(old.group(2));
            return major > 4 || (major == 4 && minor >= 5);
        }
        return false;
    }

    private static JsonObject subscription(String json) {
        if (LegacyValues.isBlank(json)) {
            return null;
        }
        try {
            return new JsonObject(json);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}
