package dev.relay.admin.usage;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.CostFormat;
import dev.relay.admin.http.JsonNumbers;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.usage.CostCalculator;
import dev.relay.usage.PriceBook;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /admin/usage-costs} (§2.3): the whole service's cost in a period from the per-model counters
 * ({@code usage:actual_model:*}, else the older {@code usage:model:*}), priced per model.
 */
@Path("/admin/usage-costs")
@jakarta.inject.Singleton
public class UsageCostsResource {
    private static final Pattern DAILY = Pattern.compile("usage:(?:actual_model|model):daily:(.+):\\d{4}-\\d{2}-\\d{2}$");
    private static final Pattern MONTHLY = Pattern.compile("usage:(?:actual_model|model):monthly:(.+):(\\d{4}-\\d{2})$");
    private static final Instant STARTED = Instant.now();

    private final UsageStatsReader usage;
    private final CostCalculator costs;
    private final PriceBook prices;
    private final LegacyClock clock;

    public UsageCostsResource(UsageStatsReader usage, CostCalculator costs, PriceBook prices, LegacyClock clock) {
        this.usage = usage;
        this.costs = costs;
        this.prices = prices;
        this.clock = clock;
    }

    @GET
    public Uni<Response> usageCosts(@QueryParam("period") String requested) {
        String period = requested == null || requested.isEmpty() ? "all" : requested;
        Instant now = Instant.now();
        Future<List<ModelCounter>> counters;
        boolean perDayFallback = false;
        if ("today".equals(period)) {
            counters = withFallback("usage:actual_model:daily:*:" + clock.date(now));
        } else if ("monthly".equals(period)) {
            counters = withFallback("usage:actual_model:monthly:*:" + clock.month(now));
        } else if ("7days".equals(period)) {
            List<Future<List<ModelCounter>>> days = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                days.add(withFallback("usage:actual_model:daily:*:" + clock.date(now.minusSeconds(i * 86_400L))));
            }
            counters = Future.all(days).map(done -> {
                List<ModelCounter> all = new ArrayList<>();
                days.forEach(day -> all.addAll(day.result()));
                return all;
            });
            perDayFallback = true;
        } else {
            counters = withFallback("usage:actual_model:monthly:*:*");
        }
        boolean sevenDays = perDayFallback;
        boolean perKey = "today".equals(period) || "monthly".equals(period);
        Future<Response> reply = counters.map(found -> AdminReplies.data(body(period, found, perKey, sevenDays)));
        return uni(reply.recover(e -> Future.succeededFuture(
                error(500, "Failed to calculate usage costs", String.valueOf(e.getMessage())))));
    }

    private JsonObject body(String period, List<ModelCounter> counters, boolean countRequests, boolean sevenDays) {
        Map<String, long[]> byModel = new LinkedHashMap<>();
        Map<String, Long> requests = new LinkedHashMap<>();
        for (ModelCounter counter : counters) {
            Matcher daily = DAILY.matcher(counter.name());
            Matcher monthly = MONTHLY.matcher(counter.name());
            String model = daily.find() ? daily.group(1) : monthly.find() ? monthly.group(1) : null;
            if (model == null || counter.fields().isEmpty()) {
                continue;
            }
            if (sevenDays) {
                model = normalize(model);
            }
            Map<String, String> f = counter.fields();
            long[] t = byModel.computeIfAbsent(model, k -> new long[4]);
            t[0] += LegacyValues.parseInt(f.get("inputTokens"));
            t[1] += LegacyValues.parseInt(f.get("outputTokens"));
            t[2] += LegacyValues.parseInt(f.get("cacheCreateTokens"));
            t[3] += LegacyValues.parseInt(f.get("cacheReadTokens"));
            requests.merge(model, countRequests ? LegacyValues.parseInt(f.get("requests")) : 0, Long::sum);
        }
        List<ModelCosts> models = new ArrayList<>();
        byModel.forEach((model, tokens) -> models.add(ModelCosts.of(costs, model, requests.get(model), tokens)));
        models.sort(Comparator.comparingDouble((ModelCosts m) -> m.cost().total()).reversed());
        double input = 0;
        double output = 0;
        double cacheCreate = 0;
        double cacheRead = 0;
        double total = 0;
        JsonArray modelCosts = new JsonArray();
        for (ModelCosts m : models) {
            input += m.cost().input();
            output += m.cost().output();
            cacheCreate += m.cost().cacheCreate();
            cacheRead += m.cost().cacheRead();
            total += m.cost().total();
            modelCosts.add(m.entry());
        }
        JsonObject totals = new JsonObject().put("inputCost", JsonNumbers.of(input)).put("outputCost", JsonNumbers.of(output))
                .put("cacheCreateCost", JsonNumbers.of(cacheCreate)).put("cacheReadCost", JsonNumbers.of(cacheRead))
                .put("totalCost", JsonNumbers.of(total))
                .put("formatted", new JsonObject().put("inputCost", CostFormat.format(input))
                        .put("outputCost", CostFormat.format(output)).put("cacheCreateCost", CostFormat.format(cacheCreate))
                        .put("cacheReadCost", CostFormat.format(cacheRead)).put("totalCost", CostFormat.format(total)));
        JsonObject data = new JsonObject().put("period", period).put("totalCosts", totals).put("modelCosts", modelCosts);
        if (!sevenDays) {
            data.put("pricingServiceStatus", new JsonObject().put("initialized", true)
                    .put("lastUpdated", LegacyClock.iso(STARTED)).put("modelCount", prices.table().size())
                    .put("nextUpdate", LegacyClock.iso(STARTED.plusSeconds(86_400))));
        }
        return data;
    }

    /** The legacy falls back to the older per-model counters when no {@code actual_model} counter matches. */
    Future<List<ModelCounter>> withFallback(String pattern) {
        return usage.matching(pattern).compose(found -> found.isEmpty()
                ? usage.matching(pattern.replace("usage:actual_model:", "usage:model:"))
                : Future.succeededFuture(found));
    }

    /** The same counters for several patterns, each with the legacy's fallback to the older family. */
    Future<List<ModelCounter>> allWithFallback(List<String> patterns) {
        List<Future<List<ModelCounter>>> reads = patterns.stream().map(this::withFallback).toList();
        return Future.all(reads).map(done -> {
            List<ModelCounter> all = new ArrayList<>();
            reads.forEach(read -> all.addAll(read.result()));
            return all;
        });
    }

    /** The legacy's model-name normalisation (Bedrock region prefixes, version suffixes). */
    static String normalize(String model) {
        if (model == null || "unknown".equals(model)) {
            return model;
        }
        if (model.contains(".anthropic.") || model.contains(".claude")) {
            return model.replaceFirst("^[a-z0-9-]+\\.", "").replaceFirst("anthropic\\.", "").replaceFirst("-v\\d+:\\d+$", "");
        }
        return model.replaceFirst("-v\\d+:\\d+$|:latest$", "");
    }
}
