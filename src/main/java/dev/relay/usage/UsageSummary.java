package dev.relay.usage;

import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.RedisStore;
import dev.relay.store.Replies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A key's usage summary as the legacy's {@code getUsageStats} reports it (models/redis.js): lifetime, today and
 * this month, with its old-data 30/70 split, and averages since the key was created. One pipelined round trip.
 */
@Singleton
public class UsageSummary {
    private final RedisStore redis;
    private final LegacyClock clock;

    public UsageSummary(RedisStore redis, LegacyClock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    /**
     * The summary of key {@code keyId} at {@code now}; {@code createdAt} is the key's stored ISO creation time
     * (empty, null or unparseable counts as {@code now}), from which the averages are taken.
     */
    public Future<JsonObject> of(String keyId, String createdAt, Instant now) {
        return redis.batch(List.of(
                Request.cmd(Command.HGETALL).arg(UsageKeys.totals(keyId)),
                Request.cmd(Command.HGETALL).arg(UsageKeys.daily(keyId, clock.date(now))),
                Request.cmd(Command.HGETALL).arg(UsageKeys.monthly(keyId, clock.month(now)))))
                .map(r -> summary(Replies.hash(r.get(0)), Replies.hash(r.get(1)), Replies.hash(r.get(2)),
                        createdAt, now));
    }

    static JsonObject summary(Map<String, String> total, Map<String, String> daily, Map<String, String> monthly,
            String createdAt, Instant now) {
        Instant parsed = LegacyValues.parseIso(createdAt);
        Instant created = parsed == null ? now : parsed;
        long days = Math.max(1, (long) Math.ceil((now.toEpochMilli() - created.toEpochMilli()) / 86_400_000.0));
        long totalTokens = LegacyValues.parseInt(total.get("totalTokens"));
        long totalRequests = LegacyValues.parseInt(total.get("totalRequests"));
        double minutes = Math.max(1, days * 24 * 60);
        return new JsonObject()
                .put("total", period(total))
                .put("daily", period(daily))
                .put("monthly", period(monthly))
                .put("averages", new JsonObject()
                        .put("rpm", jsNumber(round2(totalRequests / minutes)))
                        .put("tpm", jsNumber(round2(totalTokens / minutes)))
                        .put("dailyRequests", jsNumber(round2((double) totalRequests / days)))
                        .put("dailyTokens", jsNumber(round2((double) totalTokens / days))));
    }

    /** handleLegacyData: {@code total*} fields first; data without an input/output split is split 30/70. */
    static JsonObject period(Map<String, String> d) {
        long tokens = first(d, "totalTokens", "tokens");
        long input = first(d, "totalInputTokens", "inputTokens");
        long output = first(d, "totalOutputTokens", "outputTokens");
        long requests = first(d, "totalRequests", "requests");
        long cacheCreate = first(d, "totalCacheCreateTokens", "cacheCreateTokens");
        long cacheRead = first(d, "totalCacheReadTokens", "cacheReadTokens");
        long all = first(d, "totalAllTokens", "allTokens");
        if (input + output == 0 && tokens > 0) {
            return new JsonObject().put("tokens", tokens).put("inputTokens", Math.round(tokens * 0.3))
                    .put("outputTokens", Math.round(tokens * 0.7)).put("cacheCreateTokens", 0)
                    .put("cacheReadTokens", 0).put("allTokens", tokens).put("requests", requests);
        }
        long actualAll = all != 0 ? all : input + output + cacheCreate + cacheRead;
        return new JsonObject().put("tokens", actualAll).put("inputTokens", input).put("outputTokens", output)
                .put("cacheCreateTokens", cacheCreate).put("cacheReadTokens", cacheRead).put("allTokens", actualAll)
                .put("requests", requests);
    }

    private static long first(Map<String, String> d, String preferred, String fallback) {
        long value = LegacyValues.parseInt(d.get(preferred));
        return value != 0 ? value : LegacyValues.parseInt(d.get(fallback));
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Integral values as integers, as JavaScript prints them. */
    private static Number jsNumber(double value) {
        return value == Math.rint(value) ? (Number) (long) value : (Number) value;
    }
}
