package dev.relay.admin.dashboard;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's account counts of one platform (dashboard.js): normal = active, not blocked or unauthorized,
 * schedulable and not rate-limited; abnormal = inactive, blocked or unauthorized; paused = not schedulable but
 * otherwise fine. Each platform's service shapes its accounts differently, so "active" and "rate-limited" follow
 * that platform's reading of the stored strings.
 */
record AccountHealth(int total, int normal, int abnormal, int paused, int rateLimited) {
    enum Reading {
        /** {@code isActive === 'true'}; rate-limited never shows (the summary has no rateLimitStatus object). */
        STRICT_NO_LIMIT,
        /** {@code isActive === 'true'}; rate-limited when {@code rateLimitStatus == 'limited'}. */
        STRICT_LIMITED,
        /** OpenAI services hand raw strings: active unless {@code 'false'}; rate-limited never shows. */
        LENIENT_NO_LIMIT
    }

    static AccountHealth of(List<Map<String, String>> accounts, Reading reading) {
        int normal = 0;
        int abnormal = 0;
        int paused = 0;
        int limited = 0;
        for (Map<String, String> a : accounts) {
            String active = a.get("isActive");
            boolean isActive = reading == Reading.LENIENT_NO_LIMIT
                    ? !"false".equals(active) && ("true".equals(active) || active == null || active.isEmpty())
                    : "true".equals(active);
            String status = a.getOrDefault("status", "");
            boolean broken = "blocked".equals(status) || "unauthorized".equals(status);
            boolean schedulable = !"false".equals(a.get("schedulable"));
            boolean rateLimited = reading == Reading.STRICT_LIMITED && "limited".equals(a.get("rateLimitStatus"));
            if (isActive && !broken && schedulable && !rateLimited) {
                normal++;
            }
            if (!isActive || broken) {
                abnormal++;
            }
            if (!schedulable && isActive && !broken) {
                paused++;
            }
            if (rateLimited) {
                limited++;
            }
        }
        return new AccountHealth(accounts.size(), normal, abnormal, paused, limited);
    }

    JsonObject json() {
        return new JsonObject().put("total", total).put("normal", normal).put("abnormal", abnormal).put("paused", paused)
                .put("rateLimited", rateLimited);
    }
}
