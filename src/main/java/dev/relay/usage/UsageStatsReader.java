package dev.relay.usage;

import dev.relay.store.RedisStore;
import dev.relay.store.Replies;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The read side of the usage counters {@link UsageCounters} writes (redis-keys.md §2.2), for the admin pages: whole
 * hashes of known keys, pipelined, never a pattern scan.
 */
@Singleton
public class UsageStatsReader {
    private final RedisStore redis;

    public UsageStatsReader(RedisStore redis) {
        this.redis = redis;
    }

    /** {@code usage:{keyId}} of each key, in order (empty maps when missing). */
    public Future<List<Map<String, String>>> keyTotals(List<String> keyIds) {
        return hashes(keyIds.stream().map(UsageKeys::totals).toList());
    }

    /** {@code usage:daily:{keyId}:{tzDate}} of each key, in order. */
    public Future<List<Map<String, String>>> keyDaily(List<String> keyIds, String tzDate) {
        return hashes(keyIds.stream().map(id -> UsageKeys.daily(id, tzDate)).toList());
    }

    /** The newest {@code usage:records:{keyId}} entry of each key (raw JSON text), in order; null when none. */
    public Future<List<String>> lastRecords(List<String> keyIds) {
        if (keyIds.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> reads = new ArrayList<>(keyIds.size());
        keyIds.forEach(id -> reads.add(Request.cmd(Command.LINDEX).arg("usage:records:" + id).arg(0)));
        return redis.batch(reads).map(replies -> {
            List<String> records = new ArrayList<>(replies.size());
            replies.forEach(reply -> records.add(Replies.text(reply)));
            return records;
        });
    }

    /**
     * {@code account_usage:{id}}, {@code account_usage:daily:{id}:{tzDate}} and {@code account_usage:monthly:{id}:{tzMonth}}
     * of each account: three maps per account, in order.
     */
    public Future<List<Map<String, String>>> accountUsage(List<String> accountIds, String tzDate, String tzMonth) {
        List<String> names = new ArrayList<>(accountIds.size() * 3);
        for (String id : accountIds) {
            names.add("account_usage:" + id);
            names.add("account_usage:daily:" + id + ":" + tzDate);
            names.add("account_usage:monthly:" + id + ":" + tzMonth);
        }
        return hashes(names);
    }

    /** {@code system:metrics:minute:{bucket}} for {@code count} buckets ending at {@code lastBucket}, newest first. */
    public Future<List<Map<String, String>>> minuteMetrics(long lastBucket, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add("system:metrics:minute:" + (lastBucket - i));
        }
        return hashes(names);
    }

    private Future<List<Map<String, String>>> hashes(List<String> names) {
        if (names.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> reads = new ArrayList<>(names.size());
        names.forEach(name -> reads.add(Request.cmd(Command.HGETALL).arg(name)));
        return redis.batch(reads).map(replies -> {
            List<Map<String, String>> rows = new ArrayList<>(replies.size());
            replies.forEach(reply -> rows.add(Replies.hash(reply)));
            return rows;
        });
    }

    /**
     * The models any key has daily per-model counters for (SCAN {@code usage:*:model:daily:*}, as the legacy's filter
     * list is made), sorted. A pattern scan: for admin pages only.
     */
    public Future<List<String>> usedModels() {
        java.util.Set<String> models = new java.util.TreeSet<>();
        return scanModels("0", models).map(done -> new ArrayList<>(models));
    }

    private Future<Void> scanModels(String cursor, java.util.Set<String> models) {
        return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg("usage:*:model:daily:*")
                .arg("COUNT").arg(1000)).compose(reply -> {
                    for (String key : Replies.strings(reply.get(1))) {
                        java.util.regex.Matcher m = MODEL_DAILY.matcher(key);
                        if (m.find()) {
                            models.add(m.group(1));
                        }
                    }
                    String next = reply.get(0).toString();
                    return "0".equals(next) ? Future.<Void>succeededFuture() : scanModels(next, models);
                });
    }

    private static final java.util.regex.Pattern MODEL_DAILY =
            java.util.regex.Pattern.compile("usage:[^:]+:model:daily:([^:]+):");

    /** A key's per-model counter: {@code usage:{keyId}:model:{daily|monthly}:{model}:{stamp}} and its fields. */
    public record ModelCounter(String keyId, String name, Map<String, String> fields) {
    }

    /**
     * The per-model counters of the given keys whose names match {@code pattern} (one SCAN of the keyspace for all
     * the keys, then one pipelined read), e.g. {@code usage:*:model:daily:*:2026-11-23}. Admin pages only.
     */
    public Future<List<ModelCounter>> keyModelCounters(java.util.Set<String> keyIds, String pattern) {
        return matching(pattern, name -> keyIds.contains(keyIdOf(name)));
    }

    /** Every hash whose name matches {@code pattern} (one SCAN, then one pipelined read). Admin pages only. */
    public Future<List<ModelCounter>> matching(String pattern) {
        return matching(pattern, name -> true);
    }

    /** As {@link #matching(String)}, reading only the hashes whose name passes {@code wanted}. */
    public Future<List<ModelCounter>> matching(String pattern, java.util.function.Predicate<String> wanted) {
        List<String> names = new ArrayList<>();
        return scanNames("0", pattern, names).compose(done -> {
            List<String> unique = names.stream().distinct().filter(wanted).toList();
            return hashes(unique).map(rows -> {
                List<ModelCounter> counters = new ArrayList<>(rows.size());
                for (int i = 0; i < rows.size(); i++) {
                    counters.add(new ModelCounter(keyIdOf(unique.get(i)), unique.get(i), rows.get(i)));
                }
                return counters;
            });
        });
    }

    /** Plain string values (e.g. {@link CostKeys} names), null where missing. */
    public Future<List<String>> strings(List<String> names) {
        if (names.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> reads = new ArrayList<>(names.size());
        names.forEach(name -> reads.add(Request.cmd(Command.GET).arg(name)));
        return redis.batch(reads).map(replies -> {
            List<String> values = new ArrayList<>(replies.size());
            replies.forEach(reply -> values.add(Replies.text(reply)));
            return values;
        });
    }

    private static String keyIdOf(String name) {
        int start = "usage:".length();
        int end = name.indexOf(':', start);
        return end < 0 ? "" : name.substring(start, end);
    }

    private Future<Void> scanNames(String cursor, String pattern, List<String> names) {
        return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000))
                .compose(reply -> {
                    names.addAll(Replies.strings(reply.get(1)));
                    String next = reply.get(0).toString();
                    return "0".equals(next) ? Future.<Void>succeededFuture() : scanNames(next, pattern, names);
                });
    }
}
