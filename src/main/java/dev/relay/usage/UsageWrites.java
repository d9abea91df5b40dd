package dev.relay.usage;

import dev.relay.store.LegacyValues;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis writes of one or more billed requests, kept in a form that merges: counters of the same key and field
 * are summed, expiries and {@code lastUsedAt} touches de-duplicated, records and billing events kept one by one.
 * Applied, one request's writes are exactly what the legacy writes for it; several requests' merged writes leave
 * Redis in the state their separate writes would (float counters may differ in the last digit, as any other
 * interleaving of INCRBYFLOATs does).
 *
 * <p>The fields are package-private for {@link UsageWritesCodec} only (the spool's file format); everybody else
 * goes through the methods.
 */
final class UsageWrites {
    final Map<String, Map<String, long[]>> hashIncrements = new LinkedHashMap<>();
    final Map<String, Map<String, Double>> hashFloatIncrements = new LinkedHashMap<>();
    final Map<String, Double> floatIncrements = new LinkedHashMap<>();
    final Map<String, Long> increments = new LinkedHashMap<>();
    final Map<String, String> apiKeyTouches = new LinkedHashMap<>();
    final Map<String, Map<String, String>> latestFields = new LinkedHashMap<>();
    final Map<String, List<String>> records = new LinkedHashMap<>();
    final List<String> billingEvents = new ArrayList<>();
    final Map<String, Long> expiries = new LinkedHashMap<>();
    int events = 1;

    void hincr(String key, String field, long by) {
        add(counters(key), field, by);
    }

    /** The counters of one hash, for adding several fields without looking the key up again. */
    Map<String, long[]> counters(String key) {
        Map<String, long[]> fields = hashIncrements.get(key);
        if (fields == null) {
            fields = new LinkedHashMap<>(16);
            hashIncrements.put(key, fields);
        }
        return fields;
    }

    static void add(Map<String, long[]> counters, String field, long by) {
        long[] value = counters.get(field);
        if (value == null) {
            counters.put(field, new long[] {by});
        } else {
            value[0] += by;
        }
    }

    void hincrFloat(String key, String field, double by) {
        hashFloatIncrements.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(field, by, Double::sum);
    }

    void incrFloat(String key, double by) {
        floatIncrements.merge(key, by, Double::sum);
    }

    void incr(String key, long by) {
        increments.merge(key, by, Long::sum);
    }

    void expire(String key, long seconds) {
        expiries.put(key, seconds);
    }

    /** The latest use wins, as the last of several sequential HSETs would. */
    void touchApiKey(String key, String isoTime) {
        apiKeyTouches.merge(key, isoTime, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /** HSET of an ISO time field; of several, the latest wins (as the last of sequential HSETs would). */
    void setLatest(String key, String field, String isoTime) {
        latestFields.computeIfAbsent(key, k -> new LinkedHashMap<>())
                .merge(field, isoTime, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    void pushRecord(String listKey, String json) {
        records.computeIfAbsent(listKey, k -> new ArrayList<>()).add(json);
    }

    void billingEvent(String json) {
        billingEvents.add(json);
    }

    int events() {
        return events;
    }

    void mergeFrom(UsageWrites other) {
        other.hashIncrements.forEach((k, fields) -> {
            Map<String, long[]> mine = counters(k);
            fields.forEach((f, v) -> add(mine, f, v[0]));
        });
        other.hashFloatIncrements.forEach((k, fields) -> fields.forEach((f, v) -> hincrFloat(k, f, v)));
        other.floatIncrements.forEach(this::incrFloat);
        other.increments.forEach(this::incr);
        other.apiKeyTouches.forEach(this::touchApiKey);
        other.latestFields.forEach((k, fields) -> fields.forEach((f, v) -> setLatest(k, f, v)));
        other.records.forEach((k, list) -> list.forEach(json -> pushRecord(k, json)));
        billingEvents.addAll(other.billingEvents);
        expiries.putAll(other.expiries);
        events += other.events;
    }

    /**
     * Appends the operations of {@code lua/usage_batch.lua} to a script call: counters first and expiries last (an
     * EXPIRE before a key exists would be lost), in the order the legacy sends the commands.
     */
    void appendOperations(Request call, long apiKeyTtl, int recordsKept, long recordsTtl, String stream,
            String streamMaxLen) {
        hashIncrements.forEach((key, fields) -> {
            call.arg("H").arg(key).arg(fields.size());
            fields.forEach((field, by) -> call.arg(field).arg(by[0]));
        });
        hashFloatIncrements.forEach((key, fields) -> {
            call.arg("F").arg(key).arg(fields.size());
            fields.forEach((field, by) -> call.arg(field).arg(LegacyValues.formatNumber(by)));
        });
        floatIncrements.forEach((key, by) -> call.arg("I").arg(key).arg(LegacyValues.formatNumber(by)));
        apiKeyTouches.forEach((key, iso) -> call.arg("T").arg(key).arg(iso).arg(apiKeyTtl));
        latestFields.forEach((key, fields) -> {
            call.arg("S").arg(key).arg(fields.size());
            fields.forEach((field, value) -> call.arg(field).arg(value));
        });
        records.forEach((key, list) -> {
            // redis.js addUsageRecord: LPUSH, LTRIM, EXPIRE. LPUSH of several values pushes them in order, so the
            // newest ends first exactly as sequential LPUSHes leave it
            call.arg("L").arg(key).arg(recordsKept).arg(recordsTtl).arg(list.size());
            list.forEach(call::arg);
        });
        for (String json : billingEvents) {
            call.arg("X").arg(stream).arg(streamMaxLen).arg(json);
        }
        increments.forEach((key, by) -> call.arg("N").arg(key).arg(by));
        expiries.forEach((key, seconds) -> call.arg("E").arg(key).arg(seconds));
    }
}
