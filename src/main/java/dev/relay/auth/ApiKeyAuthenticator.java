package dev.relay.auth;

import dev.relay.config.RelayConfig;
import dev.relay.config.Secrets;
import dev.relay.failure.RelayFailure;
import dev.relay.failure.RetryHeaders;
import dev.relay.store.ApiKeyHasher;
import dev.relay.store.ClaudeRelaySettings;
import dev.relay.store.ConcurrencyLease;
import dev.relay.store.ConcurrencyLeases;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.PortalUsers;
import dev.relay.store.RateLimitWindow;
import dev.relay.store.RedisUnavailable;
import dev.relay.store.RateWindowLimits;
import dev.relay.usage.SpendCounters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;

/**
 * The legacy authentication chain (relay.md §3.3), in the legacy order, with the legacy status codes and bodies.
 * Limits are enforced with atomic Redis scripts, so they hold across concurrent requests and instances.
 */
@Singleton
public class ApiKeyAuthenticator {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ApiKeyAuthenticator.class);

    private final ApiKeyStore keys;
    private final ConcurrencyLeases leases;
    private final RateLimitWindow window;
    private final SpendCounters spend;
    private final PortalUsers users;
    private final ClaudeRelaySettings settings;
    private final ConcurrencyQueue waiting;
    private final String encryptionKey;
    private final String prefix;
    private final Clock clock;
    private final ZoneId hostZone;

    @Inject
    public ApiKeyAuthenticator(ApiKeyStore keys, ConcurrencyLeases leases, RateLimitWindow window,
            SpendCounters spend, PortalUsers users, ClaudeRelaySettings settings, ConcurrencyQueue waiting,
            Secrets secrets, RelayConfig config) {
        this(keys, leases, window, spend, users, settings, waiting, secrets.encryptionKey(), config.security().apiKeyPrefix(),
                Clock.systemUTC(), ZoneId.systemDefault());
    }

    ApiKeyAuthenticator(ApiKeyStore keys, ConcurrencyLeases leases, RateLimitWindow window, SpendCounters spend,
            PortalUsers users, ClaudeRelaySettings settings, ConcurrencyQueue waiting, String encryptionKey,
            String prefix, Clock clock, ZoneId hostZone) {
        this.users = users;
        this.settings = settings;
        this.waiting = waiting;
        this.keys = keys;
        this.leases = leases;
        this.window = window;
        this.spend = spend;
        this.encryptionKey = encryptionKey;
        this.prefix = prefix;
        this.clock = clock;
        this.hostZone = hostZone;
    }

    /** What the chain needs to know about the request besides the key. */
    public record RequestFacts(String rawKey, String path, boolean countTokens, String model,
            ClientCheck clientCheck, java.util.function.BooleanSupplier clientGone, Runnable onQueued) {
    }

    /** Decides whether the request's client is one of the key's allowed clients ({@link ClientRestriction#of}). */
    public interface ClientCheck {
        boolean allows(java.util.List<String> allowedClients);

        /** The same decision with the reason of a refusal; a check that knows no reasons gives a generic one. */
        default ClientVerdict check(java.util.List<String> allowedClients) {
            return allows(allowedClients) ? ClientVerdict.ACCEPTED : ClientVerdict.refused("not an allowed client");
        }
    }

    public Future<AuthorizedKey> authenticate(RequestFacts request) {
        String raw = request.rawKey();
        if (raw == null) {
            return Future.failedFuture(RelayFailure.plain(401, "Missing API key",
                    "Please provide an API key in the x-api-key, x-goog-api-key, or Authorization header"));
        }
        if (raw.length() < 10 || raw.length() > 512) {
            return Future.failedFuture(RelayFailure.plain(401, "Invalid API key format", "API key format is invalid"));
        }
        if (!raw.startsWith(prefix)) {
            return Future.failedFuture(invalid("Invalid API key format"));
        }
        Instant now = clock.instant();
        return checkKey(raw, request, now).recover(failure -> {
            if (failure instanceof RelayFailure) {
                return Future.failedFuture(failure);
            }
            if (failure instanceof RedisUnavailable) {
                // logged once per outage (store.RedisAvailability), not per request
                return Future.failedFuture(RelayFailure.storageUnavailable());
            }
            // relay.md §3.3 last row: anything else inside the chain (e.g. Redis unreachable)
            LOG.errorf("authentication failed: %s", failure.toString());
            return Future.failedFuture(RelayFailure.plain(500, "Authentication error",
                    "Internal server error during authentication"));
        });
    }

    private Future<AuthorizedKey> checkKey(String raw, RequestFacts request, Instant now) {
        return keys.findByHash(ApiKeyHasher.hash(raw, encryptionKey)).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(invalid("API key not found"));
            }
            ApiKey key = found.get();
            if (!key.active()) {
                return Future.failedFuture(invalid("API key is disabled"));
            }
            Future<ApiKey> activated = key.awaitingActivation() ? keys.activate(key, now) : Future.succeededFuture(key);
            return activated.compose(k -> afterActivation(k, request, now));
        });
    }

    private Future<AuthorizedKey> afterActivation(ApiKey key, RequestFacts request, Instant now) {
        if (key.expired(now)) {
            return Future.failedFuture(invalid("API key has expired"));
        }
        if (!LegacyValues.isBlank(key.userId())) {
            return users.active(key.userId()).recover(e -> Future.failedFuture(invalid("Unable to validate user status")))
                    .compose(active -> active ? afterUserCheck(key, request, now)
                            : Future.failedFuture(invalid("User account is disabled")));
        }
        return afterUserCheck(key, request, now);
    }

    private Future<AuthorizedKey> afterUserCheck(ApiKey key, RequestFacts request, Instant now) {
        if (!request.countTokens() && key.enableClientRestriction() && !key.allowedClients().isEmpty()) {
            ClientVerdict verdict = request.clientCheck().check(key.allowedClients());
            if (!verdict.accepted()) {
                LOG.warnf("key %s refused, client not allowed (allowed clients %s): %s", key.id(),
                        key.allowedClients(), verdict.reason());
                return Future.failedFuture(new RelayFailure(403, new JsonObject()
                        .put("error", "Client not allowed")
                        .put("message", "Your client is not authorized to use this API key")
                        .put("allowedClients", new JsonArray(key.allowedClients()))));
            }
        }
        return claudeCodeOnly(key, request).compose(v -> leaseAndLimits(key, request, now));
    }

    /**
     * Row 10 of relay.md §3.3: Claude Code only, per key ({@code ["claude_code"]}) or by the global switch. The
     * legacy serves messages only under {@code /api} and {@code /claude}; relay's root messages path is held to
     * the same rule, or it would be a way around it.
     */
    private Future<Void> claudeCodeOnly(ApiKey key, RequestFacts request) {
        String path = request.path().toLowerCase(java.util.Locale.ROOT);
        if (request.countTokens() || !path.contains("/v1/messages")
                || !(path.startsWith("/api") || path.startsWith("/claude") || path.startsWith("/v1/messages"))) {
            return Future.succeededFuture();
        }
        boolean keyOnly = key.allowedClients().equals(java.util.List.of("claude_code"));
        Future<Boolean> applies = keyOnly ? Future.succeededFuture(true) : settings.claudeCodeOnly();
        return applies.compose(on -> {
            ClientVerdict verdict = on ? request.clientCheck().check(java.util.List.of("claude_code"))
                    : ClientVerdict.ACCEPTED;
            if (verdict.accepted()) {
                return Future.<Void>succeededFuture();
            }
            LOG.warnf("key %s refused, Claude Code only (%s): %s", key.id(),
                    keyOnly ? "the key allows claude_code only" : "claudeCodeOnlyEnabled", verdict.reason());
            return Future.failedFuture(RelayFailure.typed(403, "client_validation_error",
                    "This endpoint only accepts requests from Claude Code CLI"));
        });
    }

    private Future<AuthorizedKey> leaseAndLimits(ApiKey key, RequestFacts request, Instant now) {
        Future<ConcurrencyLease> lease = key.concurrencyLimit() > 0 && !request.countTokens()
                ? takeLease(key, request)
                : Future.succeededFuture(null);
        return lease.compose(held -> limits(key, request, now)
                .map(windowActive -> new AuthorizedKey(key, held, windowActive))
                .recover(refused -> {
                    if (held != null) {
                        held.release();
                    }
                    return Future.failedFuture(refused);
                }));
    }

    private Future<ConcurrencyLease> takeLease(ApiKey key, RequestFacts request) {
        String member = UUID.randomUUID().toString();
        String leasesKey = ConcurrencyLeases.apiKeyLeases(key.id());
        return leases.take(leasesKey, member, key.concurrencyLimit())
                .compose(result -> {
            if (result.admitted()) {
                return Future.succeededFuture(result.lease());
            }
            return settings.queue().compose(queueSettings -> queueSettings.enabled()
                    ? waiting.waitForSlot(key, member, queueSettings, request.clientGone(), request.onQueued())
                    : Future.failedFuture(overLimit(key, result.count())));
        });
    }

    private static RelayFailure overLimit(ApiKey key, long others) {
        return new RelayFailure(429, new JsonObject()
                .put("error", "Concurrency limit exceeded")
                .put("message", "Too many concurrent requests. Limit: " + key.concurrencyLimit()
                        + " concurrent requests")
                .put("currentConcurrency", others)
                .put("concurrencyLimit", key.concurrencyLimit()), Map.of("Retry-After", "1"));
    }

    /** Window (§3.5) then daily, total and weekly-Opus cost (§3.3 rows 12–15). Yields whether a window is active. */
    private Future<Boolean> limits(ApiKey key, RequestFacts request, Instant now) {
        boolean fuel = key.fuelActive(now);
        boolean windowActive = key.rateLimitWindowMinutes() > 0
                && (key.rateLimitRequests() > 0 || key.tokenLimit() > 0 || key.rateLimitCost() > 0);
        Future<Void> windowCheck = windowActive
                ? window.check(key.id(), new RateWindowLimits(key.rateLimitWindowMinutes(), key.rateLimitRequests(),
                        key.tokenLimit(), key.rateLimitCost(), fuel)).compose(decision -> decision.admitted()
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture(new RelayFailure(429, new JsonObject(decision.errorBody()),
                                        RetryHeaders.at(decision.resetAt(),
                                                Instant.ofEpochMilli(decision.nowMillis())))))
                : Future.succeededFuture();
        boolean opusLimited = key.weeklyOpusCostLimit() > 0 && request.model() != null
                && request.model().toLowerCase().contains("claude-opus");
        boolean spendLimited = (key.dailyCostLimit() > 0 || key.totalCostLimit() > 0) && !fuel;
        if (!spendLimited && !opusLimited) {
            return windowCheck.map(windowActive);
        }
        return windowCheck.compose(v -> spend.read(key.id(), now)).compose(s -> {
            if (!fuel && key.dailyCostLimit() > 0 && s.billableDaily() >= key.dailyCostLimit()) {
                Instant reset = nextLocalMidnight(now);
                return Future.failedFuture(new RelayFailure(429, new JsonObject()
                        .put("error", "Daily cost limit exceeded")
                        .put("message", "已达到每日费用限制 ($" + LegacyValues.formatNumber(key.dailyCostLimit()) + ")")
                        .put("currentCost", s.daily())
                        .put("costLimit", key.dailyCostLimit())
                        .put("resetAt", LegacyClock.iso(reset)), RetryHeaders.notBefore(reset, now)));
            }
            if (!fuel && key.totalCostLimit() > 0 && s.billableTotal() >= key.totalCostLimit()) {
                return Future.failedFuture(new RelayFailure(429, new JsonObject()
                        .put("error", "Total cost limit exceeded")
                        .put("message", "已达到总费用限制 ($" + LegacyValues.formatNumber(key.totalCostLimit()) + ")")
                        .put("currentCost", s.total())
                        .put("costLimit", key.totalCostLimit()), RetryHeaders.notBefore(null, now)));
            }
            if (opusLimited && s.opusWeekly() >= key.weeklyOpusCostLimit()) {
                Instant reset = nextLocalMonday(now);
                return Future.failedFuture(new RelayFailure(429, new JsonObject()
                        .put("error", "Weekly Opus cost limit exceeded")
                        .put("message", "已达到 Opus 模型周费用限制 ($"
                                + LegacyValues.formatNumber(key.weeklyOpusCostLimit()) + ")")
                        .put("currentCost", s.opusWeekly())
                        .put("costLimit", key.weeklyOpusCostLimit())
                        .put("resetAt", LegacyClock.iso(reset)), RetryHeaders.notBefore(reset, now)));
            }
            return Future.succeededFuture(windowActive);
        });
    }

    /** Quirk kept (relay.md §12.13): reset times use the server's zone, not TIMEZONE_OFFSET. */
    private Instant nextLocalMidnight(Instant now) {
        return now.atZone(hostZone).toLocalDate().plusDays(1).atStartOfDay(hostZone).toInstant();
    }

    private Instant nextLocalMonday(Instant now) {
        var date = now.atZone(hostZone).toLocalDate().plusDays(1);
        while (date.getDayOfWeek() != java.time.DayOfWeek.MONDAY) {
            date = date.plusDays(1);
        }
        return date.atStartOfDay(hostZone).toInstant();
    }

    private static RelayFailure invalid(String message) {
        return RelayFailure.plain(401, "Invalid API key", message);
    }
}
