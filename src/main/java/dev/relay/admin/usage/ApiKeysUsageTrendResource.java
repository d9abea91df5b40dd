package dev.relay.admin.usage;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.failure;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.CostFormat;
import dev.relay.admin.http.JsonNumbers;
import dev.relay.auth.ApiKeyStore;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.usage.CostCalculator;
import dev.relay.usage.UsageStatsReader;
import dev.relay.usage.UsageStatsReader.ModelCounter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/api-keys-usage-trend} (§2.3): the ten busiest keys' tokens or requests (and cost) per hour or day.
 */
@Path("/admin/api-keys-usage-trend")
public class ApiKeysUsageTrendResource {
    private static final Pattern KEY_COUNTER = Pattern.compile("^usage:(?:hourly|daily):(.+?):\\d{4}-\\d{2}-\\d{2}(?::\\d{2})?$");
    private static final Pattern MODEL_COUNTER =
            Pattern.compile("^usage:(.+?):model:(?:hourly|daily):(.+?):\\d{4}-\\d{2}-\\d{2}(?::\\d{2})?$");

    private final UsageStatsReader usage;
    private final ApiKeyStore keys;
    private final CostCalculator costs;
    private final LegacyClock clock;

    public ApiKeysUsageTrendResource(UsageStatsReader usage, ApiKeyStore keys, CostCalculator costs, LegacyClock clock) {
        this.usage = usage;
        this.keys = keys;
        this.costs = costs;
        this.clock = clock;
    }

    @GET
    public Uni<Response> trend(@QueryParam("granularity") String granularity, @QueryParam("metric") String metric,
            @QueryParam("days") String days, @QueryParam("startDate") String startDate,
            @QueryParam("endDate") String endDate) {
        boolean byRequests = "requests".equals(metric);
        Instant now = Instant.now();
        TrendBuckets buckets;
        try {
            buckets = TrendBuckets.of(clock, now, granularity, days, startDate, endDate);
        } catch (DateTimeParseException unreadable) {
            return Uni.createFrom().item(failure(400, "Invalid startDate or endDate", null));
        }
        boolean hourly = buckets.hourly();
        Set<String> stamps = new HashSet<>(buckets.stamps());
        String family = hourly ? "hourly" : "daily";
        Future<Response> reply = usage.matching("usage:" + family + ":*",
                name -> stamps.contains(buckets.stampOf(name))).compose(counters -> {
            Map<String, Map<String, long[]>> byKey = new HashMap<>();
            Map<String, Long> totals = new HashMap<>();
            for (ModelCounter counter : counters) {
                Matcher m = KEY_COUNTER.matcher(counter.name());
                String stamp = buckets.stampOf(counter.name());
                if (!m.find() || !stamps.contains(stamp)) {
                    continue;
                }
                long[] t = values(counter.fields());
                byKey.computeIfAbsent(m.group(1), k -> new HashMap<>()).put(stamp, t);
                totals.merge(m.group(1), byRequests ? t[4] : t[0] + t[1] + t[2] + t[3], Long::sum);
            }
            List<String> top = totals.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue()).thenComparing(Map.Entry::getKey))
                    .limit(10).map(Map.Entry::getKey).toList();
            Future<Map<String, Map<String, Double>>> priced = byRequests || top.isEmpty()
                    ? Future.succeededFuture(Map.of()) : costs(family, Set.copyOf(top), stamps, buckets);
            return keys.fields(top, List.of("name")).compose(names -> priced.map(cost -> {
                JsonArray data = new JsonArray();
                for (int i = 0; i < buckets.stamps().size(); i++) {
                    String stamp = buckets.stamps().get(i);
                    JsonObject perKey = new JsonObject();
                    for (int k = 0; k < top.size(); k++) {
                        String id = top.get(k);
                        long[] t = byKey.getOrDefault(id, Map.of()).getOrDefault(stamp, new long[5]);
                        long tokens = t[0] + t[1] + t[2] + t[3];
                        double c = byRequests ? 0 : cost.getOrDefault(stamp, Map.of()).getOrDefault(id, 0.0);
                        if (!byRequests && c == 0 && tokens > 0) {
                            c = ModelCosts.of(costs, "claude-3-5-sonnet-20241022", 0, t).cost().total();
                        }
                        String name = names.get(k).get("name");
                        perKey.put(id, new JsonObject().put("name", name == null ? "API Key " + id : name)
                                .put("tokens", tokens).put("requests", t[4]).put("cost", JsonNumbers.of(c))
                                .put("formattedCost", CostFormat.format(c)));
                    }
                    data.add(buckets.head(i).put("apiKeys", perKey));
                }
                return AdminReplies.ok(new JsonObject().put("success", true).put("data", data)
                        .put("granularity", hourly ? "hour" : "day").put("topApiKeys", new JsonArray(top))
                        .put("totalApiKeys", byKey.size()));
            }));
        });
        return uni(reply.recover(e -> Future.succeededFuture(
                error(500, "Failed to get API keys usage trend", String.valueOf(e.getMessage())))));
    }

    /** Cost per bucket and key, each model priced on its own. */
    private Future<Map<String, Map<String, Double>>> costs(String family, Set<String> top, Set<String> stamps,
            TrendBuckets buckets) {
        return usage.keyModelCounters(top, "usage:*:model:" + family + ":*").map(counters -> {
            Map<String, Map<String, Double>> byStamp = new HashMap<>();
            for (ModelCounter counter : counters) {
                Matcher m = MODEL_COUNTER.matcher(counter.name());
                String stamp = buckets.stampOf(counter.name());
                if (!m.find() || !stamps.contains(stamp)) {
                    continue;
                }
                long[] t = values(counter.fields());
                if (t[0] + t[1] + t[2] + t[3] == 0) {
                    continue;
                }
                double c = ModelCosts.of(costs, m.group(2), 0, t).cost().total();
                byStamp.computeIfAbsent(stamp, k -> new HashMap<>()).merge(m.group(1), c, Double::sum);
            }
            return byStamp;
        });
    }

    private static long[] values(Map<String, String> f) {
        return new long[] {LegacyValues.parseInt(f.get("inputTokens")), LegacyValues.parseInt(f.get("outputTokens")),
                LegacyValues.parseInt(f.get("cacheCreateTokens")), LegacyValues.parseInt(f.get("cacheReadTokens")),
                LegacyValues.parseInt(f.get("requests"))};
    }
}
