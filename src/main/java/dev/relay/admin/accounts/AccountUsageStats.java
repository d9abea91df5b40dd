package dev.relay.admin.accounts;

import dev.relay.admin.http.JsonNumbers;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.usage.UsageStatsReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code usage} block of the account lists (redis.js getAccountsUsageStats): totals, today, averages. */
@Singleton
public class AccountUsageStats {
    private final UsageStatsReader usage;
    private final LegacyClock clock;

    public AccountUsageStats(UsageStatsReader usage, LegacyClock clock) {
        this.usage = usage;
        this.clock = clock;
    }

    /** By account id: {@code {daily, total, averages}}; {@code createdAt} by id dates the averages. */
    public Future<Map<String, JsonObject>> of(List<String> ids, Map<String, String> createdAt) {
        Instant now = Instant.now();
        return usage.accountUsage(ids, clock.date(now), clock.month(now)).map(rows -> {
            Map<String, JsonObject> byId = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                Map<String, String> total = rows.get(i * 3);
                Map<String, String> daily = rows.get(i * 3 + 1);
                Instant created = LegacyValues.parseIso(createdAt.get(ids.get(i)));
                long createdMs = created == null ? now.toEpochMilli() : created.toEpochMilli();
                long days = Math.max(1, (long) Math.ceil((now.toEpochMilli() - createdMs) / 86_400_000.0));
                double minutes = Math.max(1, days * 24 * 60);
                long totalTokens = LegacyValues.parseInt(total.get("totalTokens"));
                long totalRequests = LegacyValues.parseInt(total.get("totalRequests"));
                byId.put(ids.get(i), new JsonObject()
                        .put("daily", block(daily, LegacyValues.parseFloat(daily.get("cost"))))
                        .put("total", block(total, LegacyValues.parseFloat(total.get("totalCost"))))
                        .put("averages", new JsonObject().put("rpm", round2(totalRequests / minutes))
                                .put("tpm", round2(totalTokens / minutes))
                                .put("dailyRequests", round2((double) totalRequests / days))
                                .put("dailyTokens", round2((double) totalTokens / days))));
            }
            return byId;
        });
    }

    private static JsonObject block(Map<String, String> d, double cost) {
        long input = either(d, "totalInputTokens", "inputTokens");
        long output = either(d, "totalOutputTokens", "outputTokens");
        long cacheCreate = either(d, "totalCacheCreateTokens", "cacheCreateTokens");
        long cacheRead = either(d, "totalCacheReadTokens", "cacheReadTokens");
        long all = either(d, "totalAllTokens", "allTokens");
        return new JsonObject().put("tokens", either(d, "totalTokens", "tokens")).put("inputTokens", input)
                .put("outputTokens", output).put("cacheCreateTokens", cacheCreate).put("cacheReadTokens", cacheRead)
                .put("allTokens", all != 0 ? all : input + output + cacheCreate + cacheRead)
                .put("requests", either(d, "totalRequests", "requests")).put("cost", JsonNumbers.of(cost));
    }

    private static long either(Map<String, String> d, String first, String second) {
        long value = LegacyValues.parseInt(d.get(first));
        return value != 0 ? value : LegacyValues.parseInt(d.get(second));
    }

    private static Number round2(double value) {
        return JsonNumbers.of(Math.floor(value * 100 + 0.5) / 100);
    }
}
