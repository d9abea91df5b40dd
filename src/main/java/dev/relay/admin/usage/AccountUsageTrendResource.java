package dev.relay.admin.usage;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.failure;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
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
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /admin/account-usage-trend} (§2.3): each account of a group's cost and requests per hour or day. */
@Path("/admin/account-usage-trend")
public class AccountUsageTrendResource {
    private record Group(String label, Platform first, String firstName, Platform second, String secondName,
            String fallbackModel) {
    }

    private static final Map<String, Group> GROUPS = Map.of(
            "claude", new Group("Claude账户", Platform.CLAUDE_OAUTH, "Claude账号", Platform.CLAUDE_CONSOLE, "Console账号",
                    "claude-3-5-sonnet-20241022"),
            "openai", new Group("OpenAI账户", Platform.OPENAI_OAUTH, "OpenAI账号", Platform.OPENAI_RESPONSES,
                    "Responses账号", "gpt-4o-mini-2024-07-18"),
            "gemini", new Group("Gemini账户", Platform.GEMINI_OAUTH, "Gemini账号", Platform.GEMINI_API, "Gemini-API账号",
                    "gemini-1.5-flash"),
            "droid", new Group("Droid账户", Platform.DROID, "Droid账号", null, null, "unknown"));

    private final UsageStatsReader usage;
    private final AccountStore accounts;
    private final CostCalculator costs;
    private final LegacyClock clock;

    public AccountUsageTrendResource(UsageStatsReader usage, AccountStore accounts, CostCalculator costs,
            LegacyClock clock) {
        this.usage = usage;
        this.accounts = accounts;
        this.costs = costs;
        this.clock = clock;
    }

    @GET
    public Uni<Response> trend(@QueryParam("granularity") String granularity, @QueryParam("group") String requested,
            @QueryParam("days") String days, @QueryParam("startDate") String startDate,
            @QueryParam("endDate") String endDate) {
        String groupName = requested == null || requested.isEmpty() ? "claude" : requested;
        Group group = GROUPS.get(groupName);
        if (group == null) {
            return Uni.createFrom().item(failure(400, "Invalid account group", null));
        }
        Instant now = Instant.now();
        TrendBuckets buckets;
        try {
            buckets = TrendBuckets.of(clock, now, granularity, days, startDate, endDate);
        } catch (DateTimeParseException unreadable) {
            return Uni.createFrom().item(failure(400, "Invalid startDate or endDate", null));
        }
        boolean hourly = buckets.hourly();
        String shownGranularity = granularity == null || granularity.isEmpty() ? "day" : granularity;
        Future<Response> reply = names(group).compose(names -> {
            JsonObject head = new JsonObject().put("success", true);
            if (names.isEmpty()) {
                return Future.succeededFuture(AdminReplies.ok(head.put("data", new JsonArray())
                        .put("granularity", shownGranularity).put("group", groupName).put("groupLabel", group.label())
                        .put("topAccounts", new JsonArray()).put("totalAccounts", 0)));
            }
            Set<String> stamps = new HashSet<>(buckets.stamps());
            String family = hourly ? "hourly" : "daily";
            Future<List<ModelCounter>> totals = usage.matching("account_usage:" + family + ":*",
                    name -> stamps.contains(buckets.stampOf(name)) && names.containsKey(accountOf(name, 2)));
            Future<List<ModelCounter>> models = usage.matching("account_usage:model:" + family + ":*",
                    name -> stamps.contains(buckets.stampOf(name)) && names.containsKey(accountOf(name, 3)));
            return Future.all(totals, models).map(done -> AdminReplies.ok(head.put("data",
                    points(buckets, names, totals.result(), models.result(), group.fallbackModel(), head))
                    .put("granularity", shownGranularity).put("group", groupName).put("groupLabel", group.label())));
        });
        return uni(reply.recover(e -> Future.succeededFuture(
                error(500, "Failed to get account usage trend", String.valueOf(e.getMessage())))));
    }

    private JsonArray points(TrendBuckets buckets, Map<String, String> names, List<ModelCounter> totals,
            List<ModelCounter> models, String fallbackModel, JsonObject head) {
        Map<String, Double> modelCost = new HashMap<>();
        for (ModelCounter counter : models) {
            String[] parts = counter.name().split(":");
            long[] t = tokens(counter.fields());
            modelCost.merge(parts[3] + "|" + buckets.stampOf(counter.name()),
                    ModelCosts.of(costs, parts[4], 0, t).cost().total(), Double::sum);
        }
        Map<String, JsonObject> byBucket = new HashMap<>();
        Map<String, Double> costTotals = new LinkedHashMap<>();
        for (ModelCounter counter : totals) {
            String account = accountOf(counter.name(), 2);
            String stamp = buckets.stampOf(counter.name());
            long[] t = tokens(counter.fields());
            long all = LegacyValues.parseInt(counter.fields().get("allTokens"));
            if (all == 0) {
                all = t[0] + t[1] + t[2] + t[3];
            }
            double cost = modelCost.getOrDefault(account + "|" + stamp, 0.0);
            if (cost == 0 && all > 0) {
                cost = ModelCosts.of(costs, fallbackModel, 0, t).cost().total();
            }
            byBucket.computeIfAbsent(stamp, k -> new JsonObject()).put(account, new JsonObject()
                    .put("name", names.get(account)).put("cost", JsonNumbers.of(cost))
                    .put("formattedCost", CostFormat.format(cost))
                    .put("requests", LegacyValues.parseInt(counter.fields().get("requests"))));
            costTotals.merge(account, cost, Double::sum);
        }
        JsonArray data = new JsonArray();
        for (int i = 0; i < buckets.stamps().size(); i++) {
            data.add(buckets.head(i).put("accounts", byBucket.getOrDefault(buckets.stamps().get(i), new JsonObject())));
        }
        List<String> top = costTotals.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Double> e) -> -e.getValue()).thenComparing(Map.Entry::getKey))
                .limit(20).map(Map.Entry::getKey).toList();
        head.put("topAccounts", new JsonArray(top)).put("totalAccounts", costTotals.size());
        return data;
    }

    /** The group's accounts by id, named as the legacy names them. */
    private Future<Map<String, String>> names(Group group) {
        Future<List<Map<String, String>>> first = accounts.allStored(group.first());
        Future<List<Map<String, String>>> second = group.second() == null ? Future.succeededFuture(List.of())
                : accounts.allStored(group.second());
        return Future.all(first, second).map(done -> {
            Map<String, String> names = new LinkedHashMap<>();
            first.result().forEach(a -> names.put(a.get("id"), name(a, group.firstName())));
            second.result().forEach(a -> names.put(a.get("id"), name(a, group.secondName())));
            return names;
        });
    }

    private static String name(Map<String, String> account, String fallback) {
        String name = account.get("name");
        String id = account.get("id");
        return name != null && !name.isEmpty() ? name : fallback + " " + id.substring(0, Math.min(8, id.length()));
    }

    private static String accountOf(String name, int index) {
        String[] parts = name.split(":");
        return parts.length > index ? parts[index] : "";
    }

    private static long[] tokens(Map<String, String> f) {
        return new long[] {LegacyValues.parseInt(f.get("inputTokens")), LegacyValues.parseInt(f.get("outputTokens")),
                LegacyValues.parseInt(f.get("cacheCreateTokens")), LegacyValues.parseInt(f.get("cacheReadTokens"))};
    }
}
