package dev.relay.admin.keys;

import static dev.relay.admin.http.AdminReplies.failure;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.CostFormat;
import dev.relay.admin.http.JsonNumbers;
import dev.relay.admin.http.RequestBody;
import dev.relay.auth.ApiKeyStore;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.RateLimitWindow;
import dev.relay.usage.CostCalculator;
import dev.relay.usage.CostKeys;
import dev.relay.usage.Usage;
import dev.relay.usage.UsageStatsReader;
import dev.relay.usage.UsageStatsReader.ModelCounter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code POST /admin/api-keys/batch-stats} (§2.4): each visible key's usage and cost in a time range, priced per model
 * as the legacy does, with its cost-limit figures. One keyspace scan serves all the keys of a page.
 */
@Path("/admin/api-keys/batch-stats")
@Consumes(MediaType.WILDCARD)
public class KeyStatsResource {
    private static final Pattern DAILY = Pattern.compile("usage:.+:model:daily:(.+):(\\d{4}-\\d{2}-\\d{2})$");
    private static final Pattern MONTHLY = Pattern.compile("usage:.+:model:monthly:(.+):(\\d{4}-\\d{2})$");

    private final ApiKeyStore keys;
    private final UsageStatsReader usage;
    private final RateLimitWindow windows;
    private final CostCalculator costs;
    private final LegacyClock clock;

    public KeyStatsResource(ApiKeyStore keys, UsageStatsReader usage, RateLimitWindow windows, CostCalculator costs,
            LegacyClock clock) {
        this.keys = keys;
        this.usage = usage;
        this.windows = windows;
        this.costs = costs;
        this.clock = clock;
    }

    @POST
    public Uni<Response> batchStats(@HeaderParam("Content-Type") String type, String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        Object ids = body.getValue("keyIds");
        if (!(ids instanceof JsonArray keyIds) || keyIds.isEmpty()) {
            return done(failure(400, "keyIds is required and must be a non-empty array", null));
        }
        if (keyIds.size() > 100) {
            return done(failure(400, "Max 100 keys per request", null));
        }
        String range = body.getValue("timeRange") instanceof String r ? r : "all";
        Instant now = Instant.now();
        Set<String> dates = new LinkedHashSet<>();
        String pattern;
        if ("custom".equals(range)) {
            Instant start = ApiKeyForm.parseDate(body.getValue("startDate"));
            Instant end = ApiKeyForm.parseDate(body.getValue("endDate"));
            if (start == null || end == null) {
                return done(failure(400, body.getValue("startDate") == null || body.getValue("endDate") == null
                        ? "startDate and endDate are required for custom time range" : "Invalid date format", null));
            }
            if (start.isAfter(end)) {
                return done(failure(400, "startDate must be before or equal to endDate", null));
            }
            if ((long) Math.ceil((end.toEpochMilli() - start.toEpochMilli()) / 86_400_000.0) + 1 > 365) {
                return done(failure(400, "Date range cannot exceed 365 days", null));
            }
            for (Instant d = start; !d.isAfter(end); d = d.plusSeconds(86_400)) {
                dates.add(clock.date(d));
            }
            pattern = "usage:*:model:daily:*";
        } else if ("today".equals(range)) {
            dates.add(clock.date(now));
            pattern = "usage:*:model:daily:*:" + clock.date(now);
        } else if ("7days".equals(range)) {
            for (int i = 0; i < 7; i++) {
                dates.add(clock.date(now.minusSeconds(i * 86_400L)));
            }
            pattern = "usage:*:model:daily:*";
        } else if ("monthly".equals(range)) {
            pattern = "usage:*:model:monthly:*:" + clock.month(now);
        } else {
            pattern = "usage:*:model:*";
        }
        List<String> list = new ArrayList<>();
        keyIds.forEach(id -> list.add(String.valueOf(id)));
        Future<Response> reply = keys.rawAll(list).compose(stored -> usage.keyModelCounters(Set.copyOf(list), pattern)
                .compose(counters -> {
                    List<Future<JsonObject>> perKey = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        perKey.add(keyStats(list.get(i), stored.get(i), range, dates, counters, now));
                    }
                    return Future.all(perKey).map(done -> {
                        JsonObject data = new JsonObject();
                        for (int i = 0; i < list.size(); i++) {
                            data.put(list.get(i), perKey.get(i).result());
                        }
                        return AdminReplies.data(data);
                    });
                }));
        return uni(reply.recover(e -> Future.succeededFuture(
                failure(500, "Failed to calculate stats", String.valueOf(e.getMessage())))));
    }

    private Future<JsonObject> keyStats(String keyId, Map<String, String> key, String range, Set<String> dates,
            List<ModelCounter> counters, Instant now) {
        long windowMinutes = LegacyValues.parseInt(key.get("rateLimitWindow"));
        boolean daily = LegacyValues.parseFloat(key.get("dailyCostLimit")) > 0;
        boolean total = "all".equals(range) || LegacyValues.parseFloat(key.get("totalCostLimit")) > 0;
        Future<List<String>> spent = usage.strings(List.of(CostKeys.daily(keyId, clock.date(now)), CostKeys.total(keyId)));
        Future<RateLimitWindow.WindowState> window = windowMinutes > 0 ? windows.state(keyId)
                : Future.succeededFuture(new RateLimitWindow.WindowState(null, 0));
        return Future.all(spent, window).map(done -> {
            double dailyCost = daily ? LegacyValues.parseFloat(spent.result().get(0)) : 0;
            double allTimeCost = total ? LegacyValues.parseFloat(spent.result().get(1)) : 0;
            JsonObject stats = new JsonObject();
            if ("all".equals(range) && allTimeCost > 0) {
                return zeros(stats).put("cost", allTimeCost).put("formattedCost", CostFormat.format(allTimeCost))
                        .put("dailyCost", JsonNumbers.of(dailyCost)).put("currentWindowCost", 0)
                        .putNull("windowRemainingSeconds").putNull("windowStartTime").putNull("windowEndTime")
                        .put("allTimeCost", allTimeCost);
            }
            Object remaining = null;
            Object windowStart = null;
            Object windowEnd = null;
            double windowCost = window.result().cost();
            Long start = window.result().startMs();
            if (windowMinutes > 0 && start != null) {
                long end = start + windowMinutes * 60_000L;
                windowStart = start;
                windowEnd = end;
                if (now.toEpochMilli() < end) {
                    remaining = Math.max(0, (end - now.toEpochMilli()) / 1000);
                } else {
                    remaining = 0L;
                    windowCost = 0;
                }
            }
            sum(stats, keyId, range, dates, counters, now);
            return stats.put("dailyCost", JsonNumbers.of(dailyCost)).put("currentWindowCost", JsonNumbers.of(windowCost))
                    .put("windowRemainingSeconds", remaining).put("windowStartTime", windowStart)
                    .put("windowEndTime", windowEnd).put("allTimeCost", JsonNumbers.of(allTimeCost));
        });
    }

    /**
     * The legacy's per-model sum, with its month filter kept: daily counters count only inside the current month,
     * and monthly counters of the current month are skipped.
     */
    private void sum(JsonObject stats, String keyId, String range, Set<String> dates, List<ModelCounter> counters,
            Instant now) {
        String month = clock.month(now);
        Map<String, long[]> byModel = new LinkedHashMap<>();
        long requests = 0;
        for (ModelCounter counter : counters) {
            if (!counter.keyId().equals(keyId) || counter.fields().isEmpty()) {
                continue;
            }
            Matcher d = DAILY.matcher(counter.name());
            Matcher m = MONTHLY.matcher(counter.name());
            String model;
            if (d.find()) {
                if (!dates.isEmpty() && !dates.contains(d.group(2)) || !counter.name().contains(":" + month + "-")) {
                    continue;
                }
                model = d.group(1);
            } else if (m.find()) {
                if (counter.name().contains(":" + month)) {
                    continue;
                }
                model = m.group(1);
            } else {
                continue;
            }
            Map<String, String> f = counter.fields();
            long[] t = byModel.computeIfAbsent(model, k -> new long[4]);
            t[0] += either(f, "totalInputTokens", "inputTokens");
            t[1] += either(f, "totalOutputTokens", "outputTokens");
            t[2] += either(f, "totalCacheCreateTokens", "cacheCreateTokens");
            t[3] += either(f, "totalCacheReadTokens", "cacheReadTokens");
            requests += either(f, "totalRequests", "requests");
        }
        double cost = 0;
        long[] all = new long[4];
        for (Map.Entry<String, long[]> entry : byModel.entrySet()) {
            long[] t = entry.getValue();
            for (int i = 0; i < 4; i++) {
                all[i] += t[i];
            }
            cost += costs.accountCost(entry.getKey(), new Usage(t[0], t[1], t[2], t[3], 0, 0, entry.getKey())).total();
        }
        stats.put("requests", requests).put("tokens", all[0] + all[1] + all[2] + all[3]).put("inputTokens", all[0])
                .put("outputTokens", all[1]).put("cacheCreateTokens", all[2]).put("cacheReadTokens", all[3])
                .put("cost", JsonNumbers.of(cost)).put("formattedCost", byModel.isEmpty() ? "$0.00" : CostFormat.format(cost));
    }

    private static JsonObject zeros(JsonObject stats) {
        return stats.put("requests", 0).put("tokens", 0).put("inputTokens", 0).put("outputTokens", 0)
                .put("cacheCreateTokens", 0).put("cacheReadTokens", 0);
    }

    private static long either(Map<String, String> f, String first, String second) {
        long value = LegacyValues.parseInt(f.get(first));
        return value != 0 ? value : LegacyValues.parseInt(f.get(second));
    }

    private static Uni<Response> done(Response response) {
        return Uni.createFrom().item(response);
    }
}
