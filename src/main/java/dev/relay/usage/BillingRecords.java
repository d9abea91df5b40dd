package dev.relay.usage;

import dev.relay.store.LegacyClock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The two JSON documents the legacy keeps of one billed request: its entry in {@code usage:records:{keyId}}
 * (redis.js addUsageRecord) and its {@code billing:events} event (billingEventPublisher.js), redis-keys.md §2.15.
 */
final class BillingRecords {
    private BillingRecords() {
    }

    /** redis.js addUsageRecord: LPUSH, LTRIM 0 199, EXPIRE 90 d, atomically (redis-keys.md §2.15, §5). */
    static void usageRecord(UsageWrites out, UsageEvent e, String model, long cc, long total, Cost cost,
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
    static void billingEvent(UsageWrites out, UsageEvent e, String model, long cc, long total, Cost cost) {
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

    /** Like {@code Math.random().toString(36).substr(2, n)}. */
    private static String randomBase36(int length) {
        StringBuilder sb = new StringBuilder(length);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            sb.append(Character.forDigit(random.nextInt(36), 36));
        }
        return sb.toString();
    }
}
