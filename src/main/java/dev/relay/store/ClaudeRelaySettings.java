package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Owns {@code claude_relay_config} (redis-keys.md §2.14), the JSON the legacy dashboard writes. Like the legacy it
 * is cached for 60 s; the request path never waits for a refresh once a value is known, and read errors fail open
 * (defaults), as the legacy's do.
 */
@Singleton
public class ClaudeRelaySettings {
    private static final Logger LOG = Logger.getLogger(ClaudeRelaySettings.class);
    public static final String KEY = "claude_relay_config";
    static final long CACHE_MS = 60_000;

    private final RedisStore redis;
    private volatile JsonObject cached;
    private volatile long loadedAt;
    private volatile boolean loading;

    public ClaudeRelaySettings(RedisStore redis) {
        this.redis = redis;
    }

    /** The global "Claude Code only" switch ({@code claudeCodeOnlyEnabled}, default false). */
    public Future<Boolean> claudeCodeOnly() {
        return current().map(c -> Boolean.TRUE.equals(c.getValue("claudeCodeOnlyEnabled")));
    }

    /** The optional queue for keys at their concurrency limit (redis-keys.md §2.9 defaults). */
    public record QueueSettings(boolean enabled, int maxSize, int maxSizeMultiplier, long timeoutMs,
            int maxRedisFailCount, boolean healthCheckEnabled, double healthThreshold) {
    }

    public Future<QueueSettings> queue() {
        return current().map(c -> new QueueSettings(
                Boolean.TRUE.equals(c.getValue("concurrentRequestQueueEnabled")),
                intOr(c, "concurrentRequestQueueMaxSize", 3),
                intOr(c, "concurrentRequestQueueMaxSizeMultiplier", 0),
                intOr(c, "concurrentRequestQueueTimeoutMs", 10_000),
                intOr(c, "concurrentRequestQueueMaxRedisFailCount", 5),
                !Boolean.FALSE.equals(c.getValue("concurrentRequestQueueHealthCheckEnabled")),
                c.getValue("concurrentRequestQueueHealthThreshold") instanceof Number n && n.doubleValue() > 0
                        ? n.doubleValue() : 0.8));
    }

    /**
     * The optional user-message queue (relay.md §5.2 step 1). The legacy's {@code USER_MESSAGE_QUEUE_*}
     * environment values never apply: its dashboard defaults always fill these fields.
     */
    public record UserMessageQueueSettings(boolean enabled, long delayMs, long timeoutMs, long lockTtlMs) {
    }

    public Future<UserMessageQueueSettings> userMessageQueue() {
        return current().map(c -> new UserMessageQueueSettings(
                Boolean.TRUE.equals(c.getValue("userMessageQueueEnabled")),
                LegacyValues.parseInt(String.valueOf(c.getValue("userMessageQueueDelayMs", 200))),
                positiveOr(c, "userMessageQueueTimeoutMs", 5_000),
                positiveOr(c, "userMessageQueueLockTtlMs", 5_000)));
    }

    /** The legacy's default {@code sessionBindingErrorMessage}. */
    public static final String DEFAULT_BINDING_MESSAGE = "你的本地session已污染，请清理后使用。";

    /**
     * Global session binding (relay.md §4.3, off by default): the answer's message and the binding's TTL
     * ({@code floor(sessionBindingTtlDays * 86400)}, 30 days when unset or 0, as the legacy's {@code ||}).
     */
    public record SessionBindingSettings(boolean enabled, String errorMessage, long ttlSeconds) {
    }

    public Future<SessionBindingSettings> sessionBinding() {
        return current().map(c -> {
            Object message = c.getValue("sessionBindingErrorMessage");
            double days = c.getValue("sessionBindingTtlDays") instanceof Number n && n.doubleValue() != 0
                    ? n.doubleValue() : 30;
            return new SessionBindingSettings(Boolean.TRUE.equals(c.getValue("globalSessionBindingEnabled")),
                    message instanceof String m && !m.isEmpty() ? m : DEFAULT_BINDING_MESSAGE,
                    (long) Math.floor(days * 24 * 3600));
        });
    }

    /**
     * A zero, negative or unreadable timeout or TTL takes the default. The legacy would use a 0 as it is: time out
     * at once, or fail in Redis ({@code SET … PX 0}); docs/redis-compat.md difference 17.
     */
    private static long positiveOr(JsonObject c, String field, long fallback) {
        long value = LegacyValues.parseInt(String.valueOf(c.getValue(field, fallback)));
        return value > 0 ? value : fallback;
    }

    private static int intOr(JsonObject c, String field, int fallback) {
        return c.getValue(field) instanceof Number n ? n.intValue() : fallback;
    }

    /** Drops the cached copy, so the next request reads Redis (after an admin change on this instance). */
    public void forget() {
        cached = null;
    }

    private Future<JsonObject> current() {
        JsonObject known = cached;
        if (known != null) {
            if (System.currentTimeMillis() - loadedAt > CACHE_MS && !loading) {
                loading = true;
                load().onComplete(ar -> loading = false);
            }
            return Future.succeededFuture(known);
        }
        return load();
    }

    private Future<JsonObject> load() {
        return redis.send(Request.cmd(Command.GET).arg(KEY)).map(reply -> {
            JsonObject value = new JsonObject();
            if (reply != null) {
                try {
                    value = new JsonObject(reply.toString());
                } catch (DecodeException e) {
                    LOG.warn("claude_relay_config is not JSON; using defaults");
                }
            }
            cached = value;
            loadedAt = System.currentTimeMillis();
            return value;
        }).recover(e -> {
            // an outage is logged once, by RedisAvailability
            LOG.logf(e instanceof RedisUnavailable ? Logger.Level.DEBUG : Logger.Level.WARN,
                    "could not read claude_relay_config (%s); using defaults", e.getMessage());
            return Future.succeededFuture(cached == null ? new JsonObject() : cached);
        });
    }
}
