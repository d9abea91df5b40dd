package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Our handle on Redis. {@link #send} is one round trip; {@link #batch} pipelines several commands in one round
 * trip (not atomic: use a Lua script where atomicity matters).
 */
public final class RedisStore {
    private final Redis redis;
    private final RedisAPI api;
    private final LongAdder pending = new LongAdder();

    public RedisStore(Redis redis) {
        this.redis = redis;
        this.api = RedisAPI.api(redis);
    }

    public Future<Response> send(Request request) {
        return counted(redis.send(request));
    }

    public Future<List<Response>> batch(List<Request> requests) {
        return counted(redis.batch(requests));
    }

    /** Sends and batches without a reply yet: waiting for a pooled connection or for Redis. */
    public long pendingRequests() {
        return pending.sum();
    }

    private <T> Future<T> counted(Future<T> reply) {
        pending.increment();
        reply.onComplete(done -> pending.decrement());
        return reply;
    }

    public RedisAPI api() {
        return api;
    }

    void close() {
        redis.close();
    }
}
