package dev.relay.admin.usage;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.errorOnly;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.CostFormat;
import dev.relay.admin.http.JsonNumbers;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/usage-trend} (§2.3): the service's usage per hour (at most 24 h) or per day, from the per-model
 * counters. One SCAN per counter family serves all the buckets (the legacy scans once per bucket).
 */
@Path("/admin/usage-trend")
public class UsageTrendResource {
    private final UsageStatsReader usage;
    private final CostCalculator costs;
    private final LegacyClock clock;

    public UsageTrendResource(UsageStatsReader usage, CostCalculator costs, LegacyClock clock) {
        this.usage = usage;
        this.costs = costs;
        this.clock = clock;
    }

    @GET
    public Uni<Response> trend(@QueryParam("granularity") String granularity, @QueryParam("days") String days,
            @QueryParam("startDate") String startDate, @QueryParam("endDate") String endDate) {
        boolean hourly = "hour".equals(granularity);
        Instant now = Instant.now();
        List<Instant> buckets = new ArrayList<>();
        if (hourly) {
            Instant end = now;
            Instant start = now.minus(24, ChronoUnit.HOURS);
            if (startDate != null && !startDate.isEmpty() && endDate != null && !endDate.isEmpty()) {
                start = parse(startDate);
                end = parse(endDate);
                if (start == null || end == null) {
                    return Uni.createFrom().item(errorOnly(400, "Invalid startDate or endDate"));
                }
            }
            if (end.toEpochMilli() - start.toEpochMilli() > 86_400_000L) {
                return Uni.createFrom().item(errorOnly(400, "小时粒度查询时间范围不能超过24小时"));
            }
            for (Instant h = start.truncatedTo(ChronoUnit.HOURS); !h.isAfter(end); h = h.plus(1, ChronoUnit.HOURS)) {
                buckets.add(h);
            }
        } else {
            long count = days == null ? 7 : LegacyValues.parseInt(days);
            for (long i = (count <= 0 ? 7 : Math.min(count, 366)) - 1; i >= 0; i--) {
                buckets.add(now.minus(i, ChronoUnit.DAYS));
            }
        }
        String family = hourly ? "hourly" : "daily";
        Future<Response> reply = grouped("usage:actual_model:" + family + ":*", hourly)
                .compose(actual -> grouped("usage:model:" + family + ":*", hourly).compose(older ->
                        keyCounters(hourly, buckets.stream().map(b -> hourly ? clock.hour(b) : clock.date(b))
                                .anyMatch(stamp -> !actual.containsKey(stamp) && !older.containsKey(stamp))).map(keys -> {
                            JsonArray data = new JsonArray();
                            for (Instant bucket : buckets) {
                                String stamp = hourly ? clock.hour(bucket) : clock.date(bucket);
                                List<ModelCounter> models = actual.getOrDefault(stamp, older.getOrDefault(stamp, List.of()));
                                PeriodTotals totals = !models.isEmpty() ? PeriodTotals.ofModels(costs, models)
                                        : PeriodTotals.ofKeys(costs, keys.getOrDefault(stamp, List.of()));
                                data.add(point(bucket, stamp, hourly, totals));
                            }
                            return AdminReplies.ok(new JsonObject().put("success", true).put("data", data)
                                    .put("granularity", hourly ? "hour" : "day"));
                        })));
        return uni(reply.recover(e -> Future.succeededFuture(
                error(500, "Failed to get usage trend", String.valueOf(e.getMessage())))));
    }

    private JsonObject point(Instant bucket, String stamp, boolean hourly, PeriodTotals t) {
        JsonObject point = new JsonObject();
        if (hourly) {
            // stamp = YYYY-MM-DD:HH in the legacy's time zone
            point.put("hour", LegacyClock.iso(bucket))
                    .put("label", stamp.substring(5, 7) + "/" + stamp.substring(8, 10) + " " + stamp.substring(11, 13) + ":00");
        } else {
            point.put("date", stamp);
        }
        point.put("inputTokens", t.input()).put("outputTokens", t.output()).put("requests", t.requests())
                .put("cacheCreateTokens", t.cacheCreate()).put("cacheReadTokens", t.cacheRead())
                .put("totalTokens", t.totalTokens()).put("cost", JsonNumbers.of(t.cost()));
        if (!hourly) {
            point.put("formattedCost", CostFormat.format(t.cost()));
        }
        return point;
    }

    /** Counters of a family grouped by their stamp (the name's last date or date:hour part). */
    private Future<Map<String, List<ModelCounter>>> grouped(String pattern, boolean hourly) {
        return usage.matching(pattern).map(found -> {
            Map<String, List<ModelCounter>> byStamp = new LinkedHashMap<>();
            found.forEach(c -> byStamp.computeIfAbsent(stamp(c.name(), hourly), k -> new ArrayList<>()).add(c));
            return byStamp;
        });
    }

    /** The per-key counters, read only when some bucket has no per-model counter to price. */
    private Future<Map<String, List<Map<String, String>>>> keyCounters(boolean hourly, boolean needed) {
        if (!needed) {
            return Future.succeededFuture(Map.of());
        }
        return usage.matching(hourly ? "usage:hourly:*" : "usage:daily:*").map(found -> {
            Map<String, List<Map<String, String>>> byStamp = new LinkedHashMap<>();
            found.forEach(c -> byStamp.computeIfAbsent(stamp(c.name(), hourly), k -> new ArrayList<>()).add(c.fields()));
            return byStamp;
        });
    }

    private static String stamp(String name, boolean hourly) {
        int length = hourly ? 13 : 10;
        return name.length() < length ? "" : name.substring(name.length() - length);
    }

    private static Instant parse(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
