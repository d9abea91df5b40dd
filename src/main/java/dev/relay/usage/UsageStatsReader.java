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
}
