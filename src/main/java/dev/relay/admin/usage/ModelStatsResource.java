package dev.relay.admin.usage;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.errorOnly;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.JsonNumbers;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.usage.CostCalculator;
import dev.relay.usage.PriceBook;
import dev.relay.usage.PriceMatch;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code GET /admin/model-stats} (§2.3): the service's usage and cost per model in a period or date range. */
@Path("/admin/model-stats")
public class ModelStatsResource {
    private static final Pattern MODEL = Pattern.compile(
            "usage:(?:actual_model|model):(?:daily:(.+):\\d{4}-\\d{2}-\\d{2}|monthly:(.+):\\d{4}-\\d{2})$");

    private final UsageCostsResource counters;
    private final CostCalculator costs;
    private final PriceBook prices;
    private final LegacyClock clock;

    public ModelStatsResource(UsageCostsResource counters, CostCalculator costs, PriceBook prices, LegacyClock clock) {
        this.counters = counters;
        this.costs = costs;
        this.prices = prices;
        this.clock = clock;
    }

    @GET
    public Uni<Response> modelStats(@QueryParam("period") String requested, @QueryParam("startDate") String startDate,
            @QueryParam("endDate") String endDate) {
        String period = requested == null || requested.isEmpty() ? "daily" : requested;
        Instant now = Instant.now();
        List<String> patterns = new ArrayList<>();
        boolean custom = startDate != null && !startDate.isEmpty() && endDate != null && !endDate.isEmpty();
        if (custom) {
            Instant start;
            Instant end;
            try {
                start = Instant.parse(startDate);
                end = Instant.parse(endDate);
            } catch (DateTimeParseException unreadable) {
                return Uni.createFrom().item(errorOnly(400, "Invalid startDate or endDate"));
            }
            if (start.isAfter(end)) {
                return Uni.createFrom().item(errorOnly(400, "Start date must be before or equal to end date"));
            }
            if ((long) Math.ceil((end.toEpochMilli() - start.toEpochMilli()) / 86_400_000.0) + 1 > 365) {
                return Uni.createFrom().item(errorOnly(400, "Date range cannot exceed 365 days"));
            }
            for (Instant d = start; !d.isAfter(end); d = d.plusSeconds(86_400)) {
                patterns.add("usage:actual_model:daily:*:" + clock.date(d));
            }
        } else {
            patterns.add("daily".equals(period) ? "usage:actual_model:daily:*:" + clock.date(now)
                    : "usage:actual_model:monthly:*:" + clock.month(now));
        }
        String shownPeriod = custom ? "custom" : period;
        Future<Response> reply = counters.allWithFallback(patterns)
                .map(found -> AdminReplies.data(stats(found, shownPeriod)));
        return uni(reply.recover(e -> Future.succeededFuture(
                error(500, "Failed to get model stats", String.valueOf(e.getMessage())))));
    }

    private JsonArray stats(List<ModelCounter> found, String period) {
        Map<String, long[]> byModel = new LinkedHashMap<>();
        for (ModelCounter counter : found) {
            Matcher m = MODEL.matcher(counter.name());
            if (!m.find() || counter.fields().isEmpty()) {
                continue;
            }
            String model = UsageCostsResource.normalize(m.group(1) != null ? m.group(1) : m.group(2));
            Map<String, String> f = counter.fields();
            long[] s = byModel.computeIfAbsent(model, k -> new long[6]);
            s[0] += LegacyValues.parseInt(f.get("requests"));
            s[1] += LegacyValues.parseInt(f.get("inputTokens"));
            s[2] += LegacyValues.parseInt(f.get("outputTokens"));
            s[3] += LegacyValues.parseInt(f.get("cacheCreateTokens"));
            s[4] += LegacyValues.parseInt(f.get("cacheReadTokens"));
            s[5] += LegacyValues.parseInt(f.get("allTokens"));
        }
        List<JsonObject> entries = new ArrayList<>();
        byModel.forEach((model, s) -> {
            ModelCosts priced = ModelCosts.of(costs, model, s[0], new long[] {s[1], s[2], s[3], s[4]});
            entries.add(new JsonObject().put("model", model).put("period", period).put("requests", s[0])
                    .put("inputTokens", s[1]).put("outputTokens", s[2]).put("cacheCreateTokens", s[3])
                    .put("cacheReadTokens", s[4]).put("allTokens", s[5])
                    .put("usage", new JsonObject().put("requests", s[0]).put("inputTokens", s[1])
                            .put("outputTokens", s[2]).put("cacheCreateTokens", s[3]).put("cacheReadTokens", s[4])
                            .put("totalTokens", s[1] + s[2] + s[3] + s[4]))
                    .put("costs", priced.costs()).put("formatted", priced.formatted()).put("pricing", pricing(model)));
        });
        entries.sort(Comparator.comparingDouble((JsonObject e) -> e.getJsonObject("costs").getDouble("total")).reversed());
        return new JsonArray(new ArrayList<>(entries));
    }

    /** Prices per million tokens as the legacy's calculator reports them (its static prices when none matched). */
    private JsonObject pricing(String model) {
        PriceMatch match = prices.price(model);
        if (!match.priced()) {
            return new JsonObject().put("input", 3).put("output", 15).put("cacheWrite", 3.75).put("cacheRead", 0.3);
        }
        return new JsonObject().put("input", JsonNumbers.of(match.price().input() * 1_000_000))
                .put("output", JsonNumbers.of(match.price().output() * 1_000_000))
                .put("cacheWrite", JsonNumbers.of(match.price().cacheCreate() * 1_000_000))
                .put("cacheRead", JsonNumbers.of(match.price().cacheRead() * 1_000_000));
    }
}
