package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns {@code cost_rank:{range}} and {@code cost_rank_meta:{range}} (redis-keys.md §2.3): the legacy's precomputed
 * cost order of the key list. relay keeps membership right (a new or restored key enters every range with score 0,
 * a deleted one leaves them) and reads the state; the legacy's hourly job computes the scores.
 */
@Singleton
public class CostRankIndex {
    public static final List<String> RANGES = List.of("today", "7days", "30days", "all");

    private final RedisStore redis;

    public CostRankIndex(RedisStore redis) {
        this.redis = redis;
    }

    public Future<Void> add(String keyId) {
        List<Request> adds = new ArrayList<>();
        RANGES.forEach(range -> adds.add(Request.cmd(Command.ZADD).arg("cost_rank:" + range).arg(0).arg(keyId)));
        return redis.batch(adds).mapEmpty();
    }

    public Future<Void> remove(String keyId) {
        List<Request> removes = new ArrayList<>();
        RANGES.forEach(range -> removes.add(Request.cmd(Command.ZREM).arg("cost_rank:" + range).arg(keyId)));
        return redis.batch(removes).mapEmpty();
    }

    /** {@code cost_rank_meta:{range}} of every range, in {@link #RANGES} order (empty maps when missing). */
    public Future<List<java.util.Map<String, String>>> meta() {
        List<Request> reads = new ArrayList<>();
        RANGES.forEach(range -> reads.add(Request.cmd(Command.HGETALL).arg("cost_rank_meta:" + range)));
        return redis.batch(reads).map(replies -> {
            List<java.util.Map<String, String>> metas = new ArrayList<>();
            replies.forEach(reply -> metas.add(Replies.hash(reply)));
            return metas;
        });
    }
}
