package dev.relay.gateway.upstream.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.account.Platform;
import dev.relay.config.ClaudeConfig;
import dev.relay.config.RelayConfig;
import dev.relay.gateway.AccountMark;
import dev.relay.scheduler.ClaudeAccountPool;
import dev.relay.scheduler.ModelFamily;
import dev.relay.scheduler.OAuthEligibility;
import dev.relay.store.AccountHealthMarks;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The OAuth account state machine of relay.md §7.1 (fixture 10 oauth-*), written as partial updates of
 * {@code claude:account:{id}} (through {@link AccountStore}) and the runtime keys of {@link AccountHealthMarks}:
 * 401 unauthorized, 403 blocked, 429 limited until the unified reset (the whole account, or only the model family a
 * weekly family limit names), 529 and 5xx kept out for a while; the 5-hour session window fields kept current.
 */
@Singleton
public class OAuthMarks {
    private static final Logger LOG = Logger.getLogger(OAuthMarks.class);
    static final String OFFICIAL = Platform.CLAUDE_OAUTH.legacyName();
    static final String UNAUTHORIZED_MESSAGE = "Account unauthorized (401 errors detected)";
    static final String BLOCKED_MESSAGE = "Account blocked (403 error detected - account may be suspended by Claude)";
    static final Duration SESSION_WINDOW = Duration.ofHours(5);

    private final AccountStore accounts;
    private final AccountHealthMarks health;
    private final ClaudeAccountPool pool;
    private final long rateLimitCooldownSeconds;
    private final long overloadSeconds;
    private final long connectFailureCooldownSeconds;
    private final Clock clock;

    @Inject
    public OAuthMarks(AccountStore accounts, AccountHealthMarks health, ClaudeAccountPool pool, ClaudeConfig claude,
            RelayConfig config) {
        this(accounts, health, pool, claude.rateLimitCooldownSeconds(), claude.overloadSeconds(),
                config.connectFailureCooldownSeconds(), Clock.systemUTC());
    }

    OAuthMarks(AccountStore accounts, AccountHealthMarks health, ClaudeAccountPool pool, long rateLimitCooldownSeconds,
            long overloadSeconds, long connectFailureCooldownSeconds, Clock clock) {
        this.accounts = accounts;
        this.health = health;
        this.pool = pool;
        this.rateLimitCooldownSeconds = Math.max(1, rateLimitCooldownSeconds);
        this.overloadSeconds = overloadSeconds;
        this.connectFailureCooldownSeconds = Math.max(1, connectFailureCooldownSeconds);
        this.clock = clock;
    }

    /** Completes (never fails) once the next request would see the mark. */
    Future<Void> mark(ClaudeOAuthAccount account, AccountMark mark, MultiMap headers, String model) {
        Future<?> written = switch (mark) {
            case NONE -> Future.succeededFuture();
            case RATE_LIMITED -> rateLimited(account, headers, model);
            case UNAUTHORIZED -> health.recordUnauthorizedError(account.id())
                    .compose(count -> state(account, Map.of("status", "unauthorized", "schedulable", "false",
                            "errorMessage", UNAUTHORIZED_MESSAGE, "unauthorizedAt", now())));
            case BANNED -> state(account, Map.of("status", "blocked", "schedulable", "false",
                    "errorMessage", BLOCKED_MESSAGE, "blockedAt", now()));
            case OVERLOADED -> overloadSeconds > 0
                    ? health.markTemporarilyUnavailable(OFFICIAL, account.id(), overloadSeconds)
                    : Future.succeededFuture();
            case UNREACHABLE -> health.markTemporarilyUnavailable(OFFICIAL, account.id(), connectFailureCooldownSeconds);
            case TEMPORARILY_UNAVAILABLE, TIMED_OUT -> health.recordServerError(account.id())
                    .compose(count -> health.markTemporarilyUnavailable(OFFICIAL, account.id()));
        };
        return written.otherwise(e -> {
            LOG.warnf("state of account %s after %s not written: %s", account.id(), mark, e.getMessage());
            return null;
        }).mapEmpty();
    }

    /**
     * 429 (relay.md §7.1): with a reset time and a limit of one model family (Opus, as the legacy reads it, or the
     * family a weekly claim names), only that family waits; otherwise the whole account until the reset, or for a
     * short cool-down when the answer gave no reset.
     */
    private Future<Void> rateLimited(ClaudeOAuthAccount account, MultiMap headers, String model) {
        Instant reset = OAuthUpstream.resetOf(headers);
        String family = familyLimited(headers, model);
        String now = now();
        if (reset != null && family != null) {
            return state(account, Map.of(ModelFamily.limitedAtField(family), now,
                    ModelFamily.limitEndField(family), LegacyClock.iso(reset)));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("rateLimitedAt", now);
        fields.put("rateLimitStatus", "limited");
        fields.put("schedulable", "false");
        fields.put("rateLimitAutoStopped", "true");
        Instant end = reset != null ? reset : clock.instant().plusSeconds(rateLimitCooldownSeconds);
        fields.put("rateLimitEndAt", LegacyClock.iso(end));
        if (reset != null) {
            fields.put("sessionWindowStart", LegacyClock.iso(reset.minus(SESSION_WINDOW)));
            fields.put("sessionWindowEnd", LegacyClock.iso(reset));
        }
        return state(account, fields);
    }

    /** The family a 429 limits alone: Opus for an Opus request (the legacy's rule), or the claim's family. */
    public static String familyLimited(MultiMap headers, String model) {
        if ("opus".equals(ModelFamily.of(model))) {
            return "opus";
        }
        String claimed = ModelFamily.ofClaim(headers.get("anthropic-ratelimit-unified-representative-claim"));
        return claimed != null && claimed.equals(ModelFamily.of(model)) ? claimed : null;
    }

    /** A success: error counters cleared, an account-wide rate limit lifted. */
    void succeeded(ClaudeOAuthAccount account) {
        health.clearErrorCounters(account.id())
                .onFailure(e -> LOG.debugf("error counters of %s not cleared: %s", account.id(), e.getMessage()));
        if (OAuthEligibility.rateLimitEnd(account) != null || !LegacyValues.isBlank(account.field("rateLimitStatus"))) {
            Map<String, String> set = account.rateLimitAutoStopped() ? Map.of("schedulable", "true") : Map.of();
            accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), set,
                            List.of("rateLimitedAt", "rateLimitStatus", "rateLimitEndAt", "rateLimitAutoStopped"))
                    .onSuccess(v -> pool.reloadOAuth())
                    .onFailure(e -> LOG.warnf("rate limit of %s not lifted: %s", account.id(), e.getMessage()));
        }
    }

    /** Before a call (the legacy's getValidAccessToken): {@code lastRequestTime} and the 5-hour session window. */
    void requestStarted(ClaudeOAuthAccount account, Instant at) {
        Map<String, String> fields = new LinkedHashMap<>();
        Instant end = LegacyValues.parseIso(account.field("sessionWindowEnd"));
        if (end == null || !at.isBefore(end)) {
            Instant start = at.truncatedTo(ChronoUnit.HOURS);
            fields.put("sessionWindowStart", LegacyClock.iso(start));
            fields.put("sessionWindowEnd", LegacyClock.iso(start.plus(SESSION_WINDOW)));
        }
        fields.put("lastRequestTime", LegacyClock.iso(at));
        accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), fields, List.of())
                .onFailure(e -> LOG.debugf("session window of %s not written: %s", account.id(), e.getMessage()));
    }

    /** A successful answer's 5-hour status ({@code anthropic-ratelimit-unified-5h-status}). */
    void answered(ClaudeOAuthAccount account, MultiMap headers) {
        String status = headers.get("anthropic-ratelimit-unified-5h-status");
        if (status == null || status.isBlank()) {
            return;
        }
        accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), Map.of("sessionWindowStatus", status,
                        "sessionWindowStatusUpdatedAt", now()), List.of())
                .onFailure(e -> LOG.debugf("session status of %s not written: %s", account.id(), e.getMessage()));
    }

    private Future<Void> state(ClaudeOAuthAccount account, Map<String, String> fields) {
        return accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), fields, List.of())
                .compose(v -> pool.reloadOAuth().<Void>mapEmpty());
    }

    private String now() {
        return LegacyClock.iso(clock.instant());
    }
}
