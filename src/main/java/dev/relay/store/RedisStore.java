package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Our handle on Redis. {@link #send} is one round trip; {@link #batch} pipelines several commands in one round
 * trip (not atomic: use a Lua script where atomicity matters).
 */
public final class RedisStore {
    private final Redis redis;
    private final RedisAPI api;

    public RedisStore(Redis redis) {
        this.redis = redis;
        this.api = RedisAPI.api(redis);
    }

    public Future<Response> send(Request request) {
        return redis.send(request);
    }

    public Future<List<Response>> batch(List<Request> requests) {
        return redis.batch(requests);
    }

    public RedisAPI api() {
        return api;
    }

    void close() {
        redis.close();
    }
}
