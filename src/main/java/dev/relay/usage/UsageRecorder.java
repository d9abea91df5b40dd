package dev.relay.usage;

import dev.relay.config.RelayConfig;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.RedisStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Books one request the way the legacy {@code recordUsageWithDetails} does (relay.md §6.4, redis-keys.md §2.2,
 * §2.3, §2.15), in ONE round trip (one atomic call of {@code lua/usage_batch.lua}, retried exactly once-applied
 * when Redis fails: {@link UsageWriteQueue}). Owns the {@code usage:*}, {@code account_usage:*},
 * {@code system:metrics:*} and {@code billing:events} key families; also touches {@code apikey:{id}.lastUsedAt}
 * and the {@code rate_limit:tokens|cost:{id}} window counters because the legacy does so in the same step.
 *
 * <p>Differences from the legacy, on purpose: {@code system:metrics:minute:*} gets a 600 s TTL (pitfall P6, the
 * legacy's {@code EXPIRE … NaN} leaves them forever); {@code lastUsedAt} is only written while the key exists;
 * fuel packs are not consumed ({@code fuelCost} is always 0, billable = cost).
 */
@Singleton
public class UsageRecorder {
    static final long USAGE_DAILY_TTL = 32 * 86_400L;
    static final long USAGE_MONTHLY_TTL = 365 * 86_400L;
    static final long USAGE_HOURLY_TTL = 7 * 86_400L;
    static final long COST_DAILY_TTL = 30 * 86_400L;
    static final long COST_MONTHLY_TTL = 90 * 86_400L;
    static final long COST_HOURLY_TTL = 7 * 86_400L;
    static final long OPUS_WEEKLY_TTL = 14 * 86_400L;
    static final long RECORDS_TTL = 90 * 86_400L;
    static final long API_KEY_TTL = 365 * 86_400L;
    /** metricsWindow (5) × 120 s: our fix of pitfall P6. */
    static final long METRICS_MINUTE_TTL = 600;
    static final int RECORDS_KEPT = 200;
    static final String BILLING_STREAM = "billing:events";
    static final String BILLING_MAXLEN = "100000";
    private static final Set<String> OPUS_ACCOUNT_TYPES = Set.of("claude", "claude-console", "ccr");
    private static final String[] SIX = {"inputTokens", "outputTokens", "cacheCreateTokens", "cacheReadTokens",
            "allTokens", "requests"};

    private final LegacyClock clock;
    private final CostCalculator costs;
    private final UsageWriteQueue queue;

    @Inject
    public UsageRecorder(RedisStore redis, LegacyClock clock, CostCalculator costs, Vertx vertx, RelayConfig config,
            MeterRegistry meters) {
        this(redis, clock, costs, vertx, Path.of(config.usage().spoolDir()), meters, UsageWriteQueue.Tuning.DEFAULT);
    }

    /** Starts at once: batches spooled by ended processes in {@code spoolDir} are replayed first. */
    UsageRecorder(RedisStore redis, LegacyClock clock, CostCalculator costs, Vertx vertx, Path spoolDir,
            MeterRegistry meters, UsageWriteQueue.Tuning tuning) {
        this.clock = clock;
        this.costs = costs;
        this.queue = new UsageWriteQueue(redis, vertx, new UsageTransaction(API_KEY_TTL, RECORDS_KEPT, RECORDS_TTL,
                BILLING_STREAM, BILLING_MAXLEN), spoolDir, new UsageWriteMetrics(meters), tuning);
        queue.start();
    }

    /** Created at start-up, not at the first request: the spooled backlog of earlier runs is replayed at once. */
    void onStart(@Observes StartupEvent event) {
        // constructing the bean is the point
    }

    /** Drains or spools what is still waiting (see {@link UsageWriteQueue#close}). */
    @PreDestroy
    void close() {
        queue.close();
    }

    /** {@code usage:{keyId}}: the key's lifetime totals. */
    public static String totalsKey(String keyId) {
        return "usage:" + keyId;
    }

    /** {@code usage:daily:{keyId}:{tz-date}}. */
    public static String dailyKey(String keyId, String tzDate) {
        return "usage:daily:" + keyId + ":" + tzDate;
    }

    /** {@code usage:monthly:{keyId}:{tz-month}}. */
    public static String monthlyKey(String keyId, String tzMonth) {
        return "usage:monthly:" + keyId + ":" + tzMonth;
    }

    /**
     * Writes every counter, record and event of one request in one round trip, as one atomic script call with
     * the requests merged into it (group commit: while a pipeline is in flight, the requests that finish meanwhile
     * are merged and written by the next one, so under load Redis executes far fewer commands per request).
     *
     * <p>The future completes when the usage is in Redis. It fails with {@link UsageDeferred} when Redis fails or
     * does not answer: the usage then waits in the spool (or in memory) and is applied later, exactly once. Any
     * other failure means the usage is lost (logged as an ERROR where it happens).
     */
    public Future<RecordedUsage> record(UsageEvent event) {
        return record(event, null, null);
    }

    /**
     * Also sets {@code lastUsedAt} of the account hash that served the request (formatted by its owner, e.g.
     * {@code AccountStore.Kind}), in the same pipeline: the legacy writes it after every upstream call.
     */
    public Future<RecordedUsage> record(UsageEvent event, String accountHash, String lastUsedAt) {
        Plan plan = plan(event);
        if (accountHash != null && lastUsedAt != null) {
            plan.writes.setLatest(accountHash, "lastUsedAt", lastUsedAt);
        }
        return queue.submit(plan.writes).map(ignored -> plan.result);
    }

    /** The commands {@link #record} sends, in the legacy's order (redis-keys.md §5, ordering 2). */
    Plan plan(UsageEvent e) {
        Usage u = e.usage();
        String model = ModelKeyName.costModel(e.requestedModel(), u.model());
        RequestCost cost = costs.costs(model, u);
        Cost key = cost.key();
        long cc = u.effectiveCacheCreateTokens();
        long total = u.inputTokens() + u.outputTokens() + cc + u.cacheReadTokens();
        double rounded = toFixed6(key.total());
        double fuelCost = 0;
        double billable = rounded;

        UsageWrites out = new UsageWrites();
        tokenUsage(out, e, model, cc, key.longContext());
        if (key.total() > 0) {
            costCounters(out, e, model, key.total());
        }
        out.touchApiKey("apikey:" + e.keyId(), LegacyClock.iso(e.at()));
        if (!isBlank(e.accountId())) {
            accountUsage(out, e, model, cc, cost.account().total(), key.longContext());
        }
        usageRecord(out, e, model, cc, total, key, rounded, fuelCost, billable);
        billingEvent(out, e, model, cc, total, key);
        if (e.windowActive()) {
            if (total > 0) {
                out.incr("rate_limit:tokens:" + e.keyId(), total);
            }
            if (billable > 0) {
                out.incrFloat("rate_limit:cost:" + e.keyId(), billable);
            }
        }
        return new Plan(out, new RecordedUsage(total, rounded, fuelCost, billable, key));
    }

    /** redis.js incrementTokenUsage (redis-keys.md §2.2). */
    private void tokenUsage(UsageWrites out, UsageEvent e, String model, long cc, boolean longContext) {
        Usage u = e.usage();
        long in = u.inputTokens();
        long cr = u.cacheReadTokens();
        // Legacy quirk: with no output tokens and no input tokens the request's total is booked as output.
        long output = u.outputTokens() != 0 ? u.outputTokens() : (in > 0 ? 0 : in + cc + cr);
        long core = in + output;
        long all = in + output + cc + cr;
        long e5 = u.ephemeral5mTokens();
        long e1 = u.ephemeral1hTokens();
        String id = e.keyId();
        String date = clock.date(e.at());
        String month = clock.month(e.at());
        String hour = clock.hour(e.at());
        String m = ModelKeyName.of(model);
        String a = m; // the fork passes actualModel = null, so the actual model is the billed one

        String totals = totalsKey(id);
        hincr(out, totals, "totalTokens", core, "totalInputTokens", in, "totalOutputTokens", output,
                "totalCacheCreateTokens", cc, "totalCacheReadTokens", cr, "totalAllTokens", all,
                "totalEphemeral5mTokens", e5, "totalEphemeral1hTokens", e1, "totalRequests", 1);
        if (longContext) {
            hincr(out, totals, "totalLongContextInputTokens", in, "totalLongContextOutputTokens", output,
                    "totalLongContextRequests", 1);
        }
        String daily = dailyKey(id, date);
        String monthly = monthlyKey(id, month);
        String hourly = "usage:hourly:" + id + ":" + hour;
        for (String k : List.of(daily, monthly)) {
            hincr(out, k, "tokens", core, "inputTokens", in, "outputTokens", output, "cacheCreateTokens", cc,
                    "cacheReadTokens", cr, "allTokens", all, "requests", 1, "ephemeral5mTokens", e5,
                    "ephemeral1hTokens", e1);
        }
        if (longContext) {
            hincr(out, daily, "longContextInputTokens", in, "longContextOutputTokens", output,
                    "longContextRequests", 1);
        }
        long[] six = {in, output, cc, cr, all, 1};
        String modelDaily = "usage:model:daily:" + m + ":" + date;
        String modelMonthly = "usage:model:monthly:" + m + ":" + month;
        String keyModelDaily = "usage:" + id + ":model:daily:" + m + ":" + date;
        String keyModelMonthly = "usage:" + id + ":model:monthly:" + m + ":" + month;
        six(out, modelDaily, "", six);
        six(out, modelMonthly, "", six);
        for (String k : List.of(keyModelDaily, keyModelMonthly)) {
            six(out, k, "", six);
            hincr(out, k, "ephemeral5mTokens", e5, "ephemeral1hTokens", e1);
        }
        hincr(out, hourly, "tokens", core, "inputTokens", in, "outputTokens", output, "cacheCreateTokens", cc,
                "cacheReadTokens", cr, "allTokens", all, "requests", 1);
        String modelHourly = "usage:model:hourly:" + m + ":" + hour;
        String keyModelHourly = "usage:" + id + ":model:hourly:" + m + ":" + hour;
        six(out, modelHourly, "", six);
        six(out, keyModelHourly, "", six);

        String actualDaily = "usage:actual_model:daily:" + a + ":" + date;
        String actualMonthly = "usage:actual_model:monthly:" + a + ":" + month;
        String actualHourly = "usage:actual_model:hourly:" + a + ":" + hour;
        String keyActualDaily = "usage:" + id + ":actual_model:daily:" + a + ":" + date;
        String keyActualMonthly = "usage:" + id + ":actual_model:monthly:" + a + ":" + month;
        String keyActualHourly = "usage:" + id + ":actual_model:hourly:" + a + ":" + hour;
        six(out, actualDaily, "", six);
        six(out, actualMonthly, "", six);
        six(out, actualHourly, "", six);
        for (String k : List.of(keyActualDaily, keyActualMonthly)) {
            six(out, k, "", six);
            hincr(out, k, "ephemeral5mTokens", e5, "ephemeral1hTokens", e1);
        }
        six(out, keyActualHourly, "", six);

        String minute = "system:metrics:minute:" + LegacyClock.minuteBucket(e.at());
        hincr(out, minute, "requests", 1, "totalTokens", all, "inputTokens", in, "outputTokens", output,
                "cacheCreateTokens", cc, "cacheReadTokens", cr);

        expire(out, actualDaily, USAGE_DAILY_TTL);
        expire(out, actualMonthly, USAGE_MONTHLY_TTL);
        expire(out, actualHourly, USAGE_HOURLY_TTL);
        expire(out, keyActualDaily, USAGE_DAILY_TTL);
        expire(out, keyActualMonthly, USAGE_MONTHLY_TTL);
        expire(out, keyActualHourly, USAGE_HOURLY_TTL);
        expire(out, daily, USAGE_DAILY_TTL);
        expire(out, monthly, USAGE_MONTHLY_TTL);
        expire(out, hourly, USAGE_HOURLY_TTL);
        expire(out, modelDaily, USAGE_DAILY_TTL);
        expire(out, modelMonthly, USAGE_MONTHLY_TTL);
        expire(out, modelHourly, USAGE_HOURLY_TTL);
        expire(out, keyModelDaily, USAGE_DAILY_TTL);
        expire(out, keyModelMonthly, USAGE_MONTHLY_TTL);
        expire(out, keyModelHourly, USAGE_HOURLY_TTL);
        expire(out, minute, METRICS_MINUTE_TTL);
    }

    /** redis.js incrementDailyCost and incrementWeeklyOpusCost (redis-keys.md §2.3); only for cost > 0. */
    private void costCounters(UsageWrites out, UsageEvent e, String model, double cost) {
        String id = e.keyId();
        String daily = CostKeys.daily(id, clock.date(e.at()));
        String monthly = CostKeys.monthly(id, clock.month(e.at()));
        String hourly = CostKeys.hourly(id, clock.hour(e.at()));
        for (String k : List.of(daily, monthly, hourly, CostKeys.total(id))) {
            out.incrFloat(k, cost);
        }
        expire(out, daily, COST_DAILY_TTL);
        expire(out, monthly, COST_MONTHLY_TTL);
        expire(out, hourly, COST_HOURLY_TTL);
        if (model.toLowerCase(Locale.ROOT).contains("claude-opus") && e.accountType() != null
                && OPUS_ACCOUNT_TYPES.contains(e.accountType())) {
            String weekly = CostKeys.opusWeekly(id, clock.week(e.at()));
            out.incrFloat(weekly, cost);
            expire(out, weekly, OPUS_WEEKLY_TTL);
            out.incrFloat(CostKeys.opusTotal(id), cost);
        }
    }

    /** redis.js incrementAccountUsage (redis-keys.md §2.2, account part): output is not back-filled here. */
    private void accountUsage(UsageWrites out, UsageEvent e, String model, long cc, double cost,
            boolean longContext) {
        Usage u = e.usage();
        long in = u.inputTokens();
        long output = u.outputTokens();
        long cr = u.cacheReadTokens();
        long all = in + output + cc + cr;
        String id = e.accountId();
        String m = ModelKeyName.of(model);
        String date = clock.date(e.at());
        String month = clock.month(e.at());
        String hour = clock.hour(e.at());

        String totals = "account_usage:" + id;
        hincr(out, totals, "totalTokens", in + output, "totalInputTokens", in, "totalOutputTokens", output,
                "totalCacheCreateTokens", cc, "totalCacheReadTokens", cr, "totalAllTokens", all,
                "totalRequests", 1);
        out.hincrFloat(totals, "totalCost", cost);
        if (longContext) {
            hincr(out, totals, "totalLongContextInputTokens", in, "totalLongContextOutputTokens", output,
                    "totalLongContextRequests", 1);
        }
        String daily = "account_usage:daily:" + id + ":" + date;
        String monthly = "account_usage:monthly:" + id + ":" + month;
        String hourly = "account_usage:hourly:" + id + ":" + hour;
        for (String k : List.of(daily, monthly)) {
            hincr(out, k, "tokens", in + output, "inputTokens", in, "outputTokens", output, "cacheCreateTokens", cc,
                    "cacheReadTokens", cr, "allTokens", all, "requests", 1);
            out.hincrFloat(k, "cost", cost);
        }
        if (longContext) {
            hincr(out, daily, "longContextInputTokens", in, "longContextOutputTokens", output,
                    "longContextRequests", 1);
        }
        long[] six = {in, output, cc, cr, all, 1};
        hincr(out, hourly, "tokens", in + output, "inputTokens", in, "outputTokens", output, "cacheCreateTokens", cc,
                "cacheReadTokens", cr, "allTokens", all, "requests", 1);
        six(out, hourly, "model:" + m + ":", six);
        String modelDaily = "account_usage:model:daily:" + id + ":" + m + ":" + date;
        String modelMonthly = "account_usage:model:monthly:" + id + ":" + m + ":" + month;
        String modelHourly = "account_usage:model:hourly:" + id + ":" + m + ":" + hour;
        six(out, modelDaily, "", six);
        six(out, modelMonthly, "", six);
        six(out, modelHourly, "", six);
        expire(out, daily, USAGE_DAILY_TTL);
        expire(out, monthly, USAGE_MONTHLY_TTL);
        expire(out, hourly, USAGE_HOURLY_TTL);
        expire(out, modelDaily, USAGE_DAILY_TTL);
        expire(out, modelMonthly, USAGE_MONTHLY_TTL);
        expire(out, modelHourly, USAGE_HOURLY_TTL);
    }

    /** redis.js addUsageRecord: LPUSH, LTRIM 0 199, EXPIRE 90 d, atomically (redis-keys.md §2.15, §5). */
    private void usageRecord(UsageWrites out, UsageEvent e, String model, long cc, long total, Cost cost,
            double rounded, double fuelCost, double billable) {
        Usage u = e.usage();
        RecordJson json = new RecordJson()
                .string("timestamp", LegacyClock.iso(e.at()))
                .string("model", model)
                .nullValue("actualModel")
                .stringOrNull("accountId", e.accountId())
                .stringOrNull("accountType", e.accountType());
        tokens(json, u, cc, total)
                .number("cost", rounded)
                .number("fuelCost", fuelCost)
                .number("billableCost", billable);
        breakdown(json.object("costBreakdown"), cost).end()
                .bool("isLongContext", cost.longContext());
        out.pushRecord("usage:records:" + e.keyId(), json.finish());
    }

    /** billingEventPublisher.js: XADD billing:events MAXLEN ~ 100000 * data {json} (redis-keys.md §2.15). */
    private void billingEvent(UsageWrites out, UsageEvent e, String model, long cc, long total, Cost cost) {
        Usage u = e.usage();
        String iso = LegacyClock.iso(e.at());
        RecordJson json = new RecordJson()
                .string("eventId", e.at().toEpochMilli() + "-" + randomBase36(9))
                .string("eventType", "usage.recorded")
                .string("timestamp", iso)
                .string("version", "1.0");
        json.object("apiKey")
                .string("id", e.keyId())
                .stringOrNull("name", e.keyName())
                .stringOrNull("userId", e.userId())
                .end();
        tokens(json.object("usage").string("model", model), u, cc, total).end();
        json.object("cost")
                .number("total", cost.total())
                .string("currency", "USD");
        breakdown(json.object("breakdown"), cost).end().end();
        json.object("account")
                .stringOrNull("id", e.accountId())
                .stringOrNull("type", e.accountType())
                .end();
        json.object("context")
                .bool("isLongContext", cost.longContext())
                .string("requestTimestamp", iso)
                .end();
        out.billingEvent(json.finish());
    }

    /** The token counts, in the order both the usage record and the billing event list them. */
    private static RecordJson tokens(RecordJson json, Usage u, long cc, long total) {
        return json.number("inputTokens", u.inputTokens())
                .number("outputTokens", u.outputTokens())
                .number("cacheCreateTokens", cc)
                .number("cacheReadTokens", u.cacheReadTokens())
                .number("ephemeral5mTokens", u.ephemeral5mTokens())
                .number("ephemeral1hTokens", u.ephemeral1hTokens())
                .number("totalTokens", total);
    }

    private static RecordJson breakdown(RecordJson json, Cost cost) {
        return json.number("input", cost.input())
                .number("output", cost.output())
                .number("cacheCreate", cost.cacheCreate())
                .number("cacheRead", cost.cacheRead())
                .number("ephemeral5m", cost.ephemeral5m())
                .number("ephemeral1h", cost.ephemeral1h());
    }

    /** JavaScript {@code Number(x.toFixed(6))}: exact decimal value of the double, ties away from zero. */
    static double toFixed6(double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    private static void hincr(UsageWrites out, String key, Object... fieldsAndValues) {
        java.util.Map<String, long[]> counters = out.counters(key);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            UsageWrites.add(counters, (String) fieldsAndValues[i], ((Number) fieldsAndValues[i + 1]).longValue());
        }
    }

    private static void six(UsageWrites out, String key, String fieldPrefix, long[] values) {
        java.util.Map<String, long[]> counters = out.counters(key);
        for (int i = 0; i < SIX.length; i++) {
            UsageWrites.add(counters, fieldPrefix.isEmpty() ? SIX[i] : fieldPrefix + SIX[i], values[i]);
        }
    }

    private static void expire(UsageWrites out, String key, long seconds) {
        out.expire(key, seconds);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isEmpty();
    }

    /** Like {@code Math.random().toString(36).substr(2, n)}. */
    private static String randomBase36(int length) {
        StringBuilder sb = new StringBuilder(length);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(36), 36));
        }
        return sb.toString();
    }

    /** The requests of one booking and what {@link #record} will return. */
    record Plan(UsageWrites writes, RecordedUsage result) {
    }
}
