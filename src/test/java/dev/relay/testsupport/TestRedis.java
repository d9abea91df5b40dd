package dev.relay.testsupport;

import dev.relay.store.RedisClients;
import dev.relay.store.RedisStore;
import io.vertx.redis.client.RedisAPI;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Vert.x Redis client on the test Redis, for plain JUnit tests of the store classes. */
public final class TestRedis implements AutoCloseable {
    public final Vertx vertx;
    public final Redis redis;
    public final RedisAPI api;
    public final RedisStore store;

    public TestRedis() {
        this(TestServices.redisConnectionString());
    }

    /** A client on another server, e.g. a {@link RestartableRedis}. */
    public TestRedis(String connectionString) {
        this.vertx = Vertx.vertx();
        this.redis = Redis.createClient(vertx, RedisClients.options(connectionString, 8));
        this.store = new RedisStore(redis);
        this.api = store.api();
    }

    /** Empties the test database: tests never share state. */
    public TestRedis flush() {
        await(api.flushdb(List.of()));
        return this;
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Redis call failed: " + e, e);
        }
    }

    public Response call(String... args) {
        return await(api.send(io.vertx.redis.client.Command.create(args[0]),
                java.util.Arrays.copyOfRange(args, 1, args.length)));
    }

    public static Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public void close() {
        redis.close();
        vertx.close();
    }
}
