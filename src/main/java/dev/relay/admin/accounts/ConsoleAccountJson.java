package dev.relay.admin.accounts;

import dev.relay.admin.http.JsonNumbers;
import dev.relay.store.LegacyValues;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/** How the legacy shows a Console account (getAllAccounts' summary, formatAccountExpiry, the create answer). */
final class ConsoleAccountJson {
    private ConsoleAccountJson() {
    }

    /** The list's view, without secrets; {@code usage} and {@code groupInfos} are added by the caller. */
    static JsonObject summary(Map<String, String> a, long activeTasks, Instant now) {
        String duration = a.getOrDefault("rateLimitDuration", "");
        long rateLimitDuration = LegacyValues.isBlank(duration) || !Character.isDigit(duration.strip().charAt(0))
                ? 60 : LegacyValues.parseInt(duration);
        String priority = a.get("priority");
        long parsedPriority = LegacyValues.parseInt(priority);
        return new JsonObject().put("id", a.get("id")).put("platform", a.get("platform")).put("name", a.get("name"))
                .put("description", a.get("description")).put("apiUrl", a.get("apiUrl"))
                .put("priority", parsedPriority == 0 ? 50 : parsedPriority)
                .put("supportedModels", jsonArrayOrEmpty(a.get("supportedModels")))
                .put("userAgent", a.get("userAgent")).put("rateLimitDuration", rateLimitDuration)
                .put("isActive", "true".equals(a.get("isActive"))).put("proxy", jsonOrNull(a.get("proxy")))
                .put("accountType", LegacyValues.isBlank(a.get("accountType")) ? "shared" : a.get("accountType"))
                .put("createdAt", a.get("createdAt")).put("lastUsedAt", a.get("lastUsedAt"))
                .put("status", LegacyValues.isBlank(a.get("status")) ? "active" : a.get("status"))
                .put("errorMessage", a.get("errorMessage"))
                .put("rateLimitInfo", rateLimitInfo(a, rateLimitDuration, now))
                .put("schedulable", !"false".equals(a.get("schedulable")))
                .put("expiresAt", emptyToNull(a.get("subscriptionExpiresAt")))
                .put("dailyQuota", JsonNumbers.of(LegacyValues.parseFloat(a.getOrDefault("dailyQuota", "0"))))
                .put("dailyUsage", JsonNumbers.of(LegacyValues.parseFloat(a.getOrDefault("dailyUsage", "0"))))
                .put("lastResetDate", a.getOrDefault("lastResetDate", ""))
                .put("quotaResetTime", LegacyValues.isBlank(a.get("quotaResetTime")) ? "00:00" : a.get("quotaResetTime"))
                .put("quotaStoppedAt", emptyToNull(a.get("quotaStoppedAt")))
                .put("maxConcurrentTasks", LegacyValues.parseInt(a.get("maxConcurrentTasks")))
                .put("activeTaskCount", activeTasks)
                .put("disableAutoProtection", "true".equals(a.get("disableAutoProtection")))
                .put("interceptWarmup", "true".equals(a.get("interceptWarmup")))
                .put("subscriptionExpiresAt", emptyToNull(a.get("subscriptionExpiresAt")))
                .putNull("tokenExpiresAt");
    }

    /** createAccount's answer as the route formats it. */
    static JsonObject created(Map<String, String> f, JsonObject body) {
        Object models = body.getValue("supportedModels");
        return new JsonObject().put("id", f.get("id")).put("name", f.get("name")).put("description", f.get("description"))
                .put("apiUrl", f.get("apiUrl")).put("priority", JsonNumbers.of(LegacyValues.parseFloat(f.get("priority"))))
                .put("supportedModels", models == null ? new JsonArray() : models)
                .put("userAgent", f.get("userAgent"))
                .put("rateLimitDuration", JsonNumbers.of(LegacyValues.parseFloat(f.get("rateLimitDuration"))))
                .put("isActive", true).put("proxy", body.getValue("proxy")).put("accountType", f.get("accountType"))
                .put("status", "active").put("createdAt", f.get("createdAt"))
                .put("dailyQuota", JsonNumbers.of(LegacyValues.parseFloat(f.get("dailyQuota")))).put("dailyUsage", 0)
                .put("lastResetDate", f.get("lastResetDate")).put("quotaResetTime", f.get("quotaResetTime"))
                .putNull("quotaStoppedAt")
                .put("maxConcurrentTasks", LegacyValues.parseInt(f.get("maxConcurrentTasks")))
                .put("disableAutoProtection", "true".equals(f.get("disableAutoProtection")))
                .put("interceptWarmup", "true".equals(f.get("interceptWarmup"))).put("activeTaskCount", 0)
                .putNull("subscriptionExpiresAt").putNull("tokenExpiresAt").putNull("expiresAt");
    }

    private static JsonObject rateLimitInfo(Map<String, String> a, long duration, Instant now) {
        Instant limitedAt = LegacyValues.parseIso(a.get("rateLimitedAt"));
        if ("limited".equals(a.get("rateLimitStatus")) && limitedAt != null) {
            long since = Math.floorDiv(now.toEpochMilli() - limitedAt.toEpochMilli(), 60_000L);
            long remaining = Math.max(0, duration - since);
            return new JsonObject().put("isRateLimited", remaining > 0).put("rateLimitedAt", a.get("rateLimitedAt"))
                    .put("minutesSinceRateLimit", since).put("minutesRemaining", remaining);
        }
        return new JsonObject().put("isRateLimited", false).putNull("rateLimitedAt").put("minutesSinceRateLimit", 0)
                .put("minutesRemaining", 0);
    }

    /** parseJsonArray: the stored mapping object is not an array, so the list shows {@code []} as the legacy does. */
    private static JsonArray jsonArrayOrEmpty(String text) {
        Object parsed = parse(text);
        return parsed instanceof JsonArray array ? array : new JsonArray();
    }

    private static Object jsonOrNull(String text) {
        return parse(text);
    }

    private static Object parse(String text) {
        if (LegacyValues.isBlank(text)) {
            return null;
        }
        try {
            return Json.decodeValue(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String emptyToNull(String value) {
        return LegacyValues.isBlank(value) ? null : value;
    }

    static JsonObject zeroUsage() {
        JsonObject zero = new JsonObject().put("tokens", 0).put("inputTokens", 0).put("outputTokens", 0)
                .put("cacheCreateTokens", 0).put("cacheReadTokens", 0).put("allTokens", 0).put("requests", 0)
                .put("cost", 0);
        return new JsonObject().put("daily", zero).put("total", zero.copy()).put("averages",
                new JsonObject().put("rpm", 0).put("tpm", 0).put("dailyRequests", 0).put("dailyTokens", 0));
    }
}
