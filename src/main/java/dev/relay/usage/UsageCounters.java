package dev.relay.usage;

import dev.relay.store.LegacyClock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The counters one request increments, with their TTLs, in the legacy's order: redis.js incrementTokenUsage,
 * incrementDailyCost, incrementWeeklyOpusCost and incrementAccountUsage (redis-keys.md §2.2, §2.3).
 */
final class UsageCounters {
    static final long USAGE_DAILY_TTL = 32 * 86_400L;
    static final long USAGE_MONTHLY_TTL = 365 * 86_400L;
    static final long USAGE_HOURLY_TTL = 7 * 86_400L;
    static final long COST_DAILY_TTL = 30 * 86_400L;
    static final long COST_MONTHLY_TTL = 90 * 86_400L;
    static final long COST_HOURLY_TTL = 7 * 86_400L;
    static final long OPUS_WEEKLY_TTL = 14 * 86_400L;
    /** metricsWindow (5) × 120 s: our fix of pitfall P6 (the legacy's {@code EXPIRE … NaN} leaves them forever). */
    static final long METRICS_MINUTE_TTL = 600;
    private static final Set<String> OPUS_ACCOUNT_TYPES = Set.of("claude", "claude-console", "ccr");
    private static final String[] SIX = {"inputTokens", "outputTokens", "cacheCreateTokens", "cacheReadTokens",
            "allTokens", "requests"};
    private static final String[] TOTAL_LONG_CONTEXT = {"totalLongContextInputTokens",
            "totalLongContextOutputTokens", "totalLongContextRequests"};
    private static final String[] DAILY_LONG_CONTEXT = {"longContextInputTokens", "longContextOutputTokens",
            "longContextRequests"};

    private final LegacyClock clock;

    UsageCounters(LegacyClock clock) {
        this.clock = clock;
    }

    /** redis.js incrementTokenUsage (redis-keys.md §2.2): the key's, the models' and the system's counters. */
    void keyUsage(UsageWrites out, UsageEvent e, String model, long cc, boolean longContext) {
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

        String totals = UsageKeys.totals(id);
        hincr(out, totals, "totalTokens", core, "totalInputTokens", in, "totalOutputTokens", output,
                "totalCacheCreateTokens", cc, "totalCacheReadTokens", cr, "totalAllTokens", all,
                "totalEphemeral5mTokens", e5, "totalEphemeral1hTokens", e1, "totalRequests", 1);
        if (longContext) {
            longContext(out, totals, TOTAL_LONG_CONTEXT, in, output);
        }
        String daily = UsageKeys.daily(id, date);
        String monthly = UsageKeys.monthly(id, month);
        String hourly = UsageKeys.hourly(id, hour);
        for (String k : List.of(daily, monthly)) {
            period(out, k, core, in, output, cc, cr, all);
            hincr(out, k, "ephemeral5mTokens", e5, "ephemeral1hTokens", e1);
        }
        if (longContext) {
            longContext(out, daily, DAILY_LONG_CONTEXT, in, output);
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
        period(out, hourly, core, in, output, cc, cr, all);
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
        modelPeriods(out, actualDaily, actualMonthly, actualHourly, six);
        for (String k : List.of(keyActualDaily, keyActualMonthly)) {
            six(out, k, "", six);
            hincr(out, k, "ephemeral5mTokens", e5, "ephemeral1hTokens", e1);
        }
        six(out, keyActualHourly, "", six);

        String minute = "system:metrics:minute:" + LegacyClock.minuteBucket(e.at());
        hincr(out, minute, "requests", 1, "totalTokens", all, "inputTokens", in, "outputTokens", output,
                "cacheCreateTokens", cc, "cacheReadTokens", cr);

        expirePeriods(out, actualDaily, actualMonthly, actualHourly);
        expirePeriods(out, keyActualDaily, keyActualMonthly, keyActualHourly);
        expirePeriods(out, daily, monthly, hourly);
        expirePeriods(out, modelDaily, modelMonthly, modelHourly);
        expirePeriods(out, keyModelDaily, keyModelMonthly, keyModelHourly);
        out.expire(minute, METRICS_MINUTE_TTL);
    }

    /** redis.js incrementDailyCost and incrementWeeklyOpusCost (redis-keys.md §2.3); only for cost > 0. */
    void keyCost(UsageWrites out, UsageEvent e, String model, double cost) {
        String id = e.keyId();
        String daily = CostKeys.daily(id, clock.date(e.at()));
        String monthly = CostKeys.monthly(id, clock.month(e.at()));
        String hourly = CostKeys.hourly(id, clock.hour(e.at()));
        for (String k : List.of(daily, monthly, hourly, CostKeys.total(id))) {
            out.incrFloat(k, cost);
        }
        out.expire(daily, COST_DAILY_TTL);
        out.expire(monthly, COST_MONTHLY_TTL);
        out.expire(hourly, COST_HOURLY_TTL);
        if (model.toLowerCase(Locale.ROOT).contains("claude-opus") && e.accountType() != null
                && OPUS_ACCOUNT_TYPES.contains(e.accountType())) {
            String weekly = CostKeys.opusWeekly(id, clock.week(e.at()));
            out.incrFloat(weekly, cost);
            out.expire(weekly, OPUS_WEEKLY_TTL);
            out.incrFloat(CostKeys.opusTotal(id), cost);
        }
    }

    /** redis.js incrementAccountUsage (redis-keys.md §2.2, account part): output is not back-filled here. */
    void accountUsage(UsageWrites out, UsageEvent e, String model, long cc, double cost, boolean longContext) {
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
            longContext(out, totals, TOTAL_LONG_CONTEXT, in, output);
        }
        String daily = "account_usage:daily:" + id + ":" + date;
        String monthly = "account_usage:monthly:" + id + ":" + month;
        String hourly = "account_usage:hourly:" + id + ":" + hour;
        for (String k : List.of(daily, monthly)) {
            period(out, k, in + output, in, output, cc, cr, all);
            out.hincrFloat(k, "cost", cost);
        }
        if (longContext) {
            longContext(out, daily, DAILY_LONG_CONTEXT, in, output);
        }
        long[] six = {in, output, cc, cr, all, 1};
        period(out, hourly, in + output, in, output, cc, cr, all);
        six(out, hourly, "model:" + m + ":", six);
        String modelDaily = "account_usage:model:daily:" + id + ":" + m + ":" + date;
        String modelMonthly = "account_usage:model:monthly:" + id + ":" + m + ":" + month;
        String modelHourly = "account_usage:model:hourly:" + id + ":" + m + ":" + hour;
        modelPeriods(out, modelDaily, modelMonthly, modelHourly, six);
        expirePeriods(out, daily, monthly, hourly);
        expirePeriods(out, modelDaily, modelMonthly, modelHourly);
    }

    /** The counters of a daily, monthly or hourly hash, key and account side alike. */
    private static void period(UsageWrites out, String key, long tokens, long in, long output, long cc, long cr,
            long all) {
        Map<String, long[]> counters = out.counters(key);
        UsageWrites.add(counters, "tokens", tokens);
        UsageWrites.add(counters, "inputTokens", in);
        UsageWrites.add(counters, "outputTokens", output);
        UsageWrites.add(counters, "cacheCreateTokens", cc);
        UsageWrites.add(counters, "cacheReadTokens", cr);
        UsageWrites.add(counters, "allTokens", all);
        UsageWrites.add(counters, "requests", 1);
    }

    /** The six counters of a model in its daily, monthly and hourly hash. */
    private static void modelPeriods(UsageWrites out, String daily, String monthly, String hourly, long[] six) {
        six(out, daily, "", six);
        six(out, monthly, "", six);
        six(out, hourly, "", six);
    }

    /** The usage TTLs of a daily, a monthly and an hourly hash. */
    private static void expirePeriods(UsageWrites out, String daily, String monthly, String hourly) {
        out.expire(daily, USAGE_DAILY_TTL);
        out.expire(monthly, USAGE_MONTHLY_TTL);
        out.expire(hourly, USAGE_HOURLY_TTL);
    }

    private static void longContext(UsageWrites out, String key, String[] fields, long in, long output) {
        Map<String, long[]> counters = out.counters(key);
        UsageWrites.add(counters, fields[0], in);
        UsageWrites.add(counters, fields[1], output);
        UsageWrites.add(counters, fields[2], 1);
    }

    private static void hincr(UsageWrites out, String key, Object... fieldsAndValues) {
        Map<String, long[]> counters = out.counters(key);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            UsageWrites.add(counters, (String) fieldsAndValues[i], ((Number) fieldsAndValues[i + 1]).longValue());
        }
    }

    private static void six(UsageWrites out, String key, String fieldPrefix, long[] values) {
        Map<String, long[]> counters = out.counters(key);
        for (int i = 0; i < SIX.length; i++) {
            UsageWrites.add(counters, fieldPrefix.isEmpty() ? SIX[i] : fieldPrefix + SIX[i], values[i]);
        }
    }
}
