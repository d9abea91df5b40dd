package dev.relay.admin.dashboard;

import dev.relay.admin.http.JsonNumbers;
import dev.relay.store.LegacyValues;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The dashboard's key figures, summed as redis.js getApiKeyOverviewStats, getTodayStats and getSystemAverages do. */
record KeyUsage(int keys, int activeKeys, long requests, long input, long output, long cacheCreate, long cacheRead,
        long all) {

    /** Over the keys that are not soft-deleted; a key's {@code usage:{id}} read with the legacy's fallbacks. */
    static KeyUsage overview(List<Map<String, String>> metas, List<Map<String, String>> totals) {
        int keys = 0;
        int active = 0;
        long requests = 0;
        long input = 0;
        long output = 0;
        long cacheCreate = 0;
        long cacheRead = 0;
        long all = 0;
        for (int i = 0; i < metas.size(); i++) {
            Map<String, String> meta = metas.get(i);
            if ("true".equals(meta.get("isDeleted"))) {
                continue;
            }
            keys++;
            if ("true".equals(meta.get("isActive"))) {
                active++;
            }
            Map<String, String> u = totals.get(i);
            long tokens = either(u, "totalTokens", "tokens");
            long in = either(u, "totalInputTokens", "inputTokens");
            long out = either(u, "totalOutputTokens", "outputTokens");
            long cc = either(u, "totalCacheCreateTokens", "cacheCreateTokens");
            long cr = either(u, "totalCacheReadTokens", "cacheReadTokens");
            long allTokens = either(u, "totalAllTokens", "allTokens");
            if (allTokens == 0 && in + out + cc + cr > 0) {
                allTokens = in + out + cc + cr;
            }
            if (allTokens == 0 && tokens > 0) {
                allTokens = tokens;
            }
            if (in + out == 0 && tokens > 0) {
                out = Math.round(tokens * 0.7);
                in = Math.round(tokens * 0.3);
            }
            requests += either(u, "totalRequests", "requests");
            input += in;
            output += out;
            cacheCreate += cc;
            cacheRead += cr;
            all += allTokens;
        }
        return new KeyUsage(keys, active, requests, input, output, cacheCreate, cacheRead, all);
    }

    void putTotals(JsonObject overview) {
        overview.put("totalTokensUsed", all).put("totalRequestsUsed", requests).put("totalInputTokensUsed", input)
                .put("totalOutputTokensUsed", output).put("totalCacheCreateTokensUsed", cacheCreate)
                .put("totalCacheReadTokensUsed", cacheRead).put("totalAllTokensUsed", all);
    }

    /** Today's figures from every key's {@code usage:daily:{id}:{today}}, deleted keys included (as the legacy). */
    static JsonObject today(List<Map<String, String>> metas, List<Map<String, String>> daily, String today) {
        long requests = 0;
        long tokens = 0;
        long input = 0;
        long output = 0;
        long cacheCreate = 0;
        long cacheRead = 0;
        for (Map<String, String> day : daily) {
            requests += LegacyValues.parseInt(day.get("requests"));
            long dayTokens = LegacyValues.parseInt(day.get("tokens"));
            tokens += dayTokens;
            long in = LegacyValues.parseInt(day.get("inputTokens"));
            long out = LegacyValues.parseInt(day.get("outputTokens"));
            if (in + out == 0 && dayTokens > 0) {
                output += Math.round(dayTokens * 0.7);
                input += Math.round(dayTokens * 0.3);
            } else {
                input += in;
                output += out;
            }
            cacheCreate += LegacyValues.parseInt(day.get("cacheCreateTokens"));
            cacheRead += LegacyValues.parseInt(day.get("cacheReadTokens"));
        }
        // the legacy compares the UTC createdAt with the shifted date, as here
        long createdToday = metas.stream().filter(m -> m.get("id") != null)
                .filter(m -> m.getOrDefault("createdAt", "").startsWith(today)).count();
        return new JsonObject().put("apiKeysCreatedToday", createdToday).put("requestsToday", requests)
                .put("tokensToday", tokens).put("inputTokensToday", input).put("outputTokensToday", output)
                .put("cacheCreateTokensToday", cacheCreate).put("cacheReadTokensToday", cacheRead);
    }

    /** Requests and core tokens per minute since the oldest key was created (at least one day). */
    static JsonObject averages(List<Map<String, String>> metas, List<Map<String, String>> totals, Instant now) {
        long requests = 0;
        long tokens = 0;
        Instant oldest = now;
        for (int i = 0; i < metas.size(); i++) {
            if (metas.get(i).get("id") == null) {
                continue;
            }
            requests += LegacyValues.parseInt(totals.get(i).get("totalRequests"));
            tokens += LegacyValues.parseInt(totals.get(i).get("totalTokens"));
            Instant created = LegacyValues.parseIso(metas.get(i).get("createdAt"));
            if (created != null && created.isBefore(oldest)) {
                oldest = created;
            }
        }
        long days = Math.max(1, (long) Math.ceil((now.toEpochMilli() - oldest.toEpochMilli()) / 86_400_000.0));
        double minutes = days * 24 * 60;
        return new JsonObject().put("rpm", round2(requests / minutes)).put("tpm", round2(tokens / minutes));
    }

    /** {@code Math.round(x * 100) / 100}. */
    static Number round2(double value) {
        return JsonNumbers.of(Math.floor(value * 100 + 0.5) / 100);
    }

    private static long either(Map<String, String> u, String first, String second) {
        long value = LegacyValues.parseInt(u.get(first));
        return value != 0 ? value : LegacyValues.parseInt(u.get(second));
    }
}
