package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** models/redis.js getUsageStats: the summary shape, its legacy-data split and its averages. */
class UsageSummaryTest {

    @Test
    void currentDataUsesTheTotalFieldsAndAllTokens() {
        // what fixture 04 left in usage:<keyId> after one request
        Map<String, String> total = Map.of("totalTokens", "1545", "totalInputTokens", "1200", "totalOutputTokens",
                "345", "totalCacheCreateTokens", "200", "totalCacheReadTokens", "3000", "totalAllTokens", "4745",
                "totalRequests", "1");
        JsonObject summary = UsageSummary.summary(total, Map.of(), Map.of(), "2026-11-21T07:21:49.749Z",
                Instant.parse("2026-11-23T07:21:53.341Z"));
        assertEquals(new JsonObject().put("tokens", 4745L).put("inputTokens", 1200L).put("outputTokens", 345L)
                .put("cacheCreateTokens", 200L).put("cacheReadTokens", 3000L).put("allTokens", 4745L)
                .put("requests", 1L), summary.getJsonObject("total"));
        assertEquals(0L, summary.getJsonObject("daily").getLong("requests"));
        // three days since creation (ceil): 1 request / (3 × 1440 min) rounds to 0; 1545 tokens / 3 days = 515
        assertEquals(new JsonObject().put("rpm", 0L).put("tpm", 0.36).put("dailyRequests", 0.33)
                .put("dailyTokens", 515L), summary.getJsonObject("averages"));
    }

    @Test
    void oldDataWithoutAnInputOutputSplitIsSplit30To70() {
        JsonObject period = UsageSummary.period(Map.of("tokens", "1000", "requests", "4"));
        assertEquals(new JsonObject().put("tokens", 1000L).put("inputTokens", 300L).put("outputTokens", 700L)
                .put("cacheCreateTokens", 0).put("cacheReadTokens", 0).put("allTokens", 1000L).put("requests", 4L),
                period);
    }
}
