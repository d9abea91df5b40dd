package dev.relay.store;

import dev.relay.config.RelayConfig;
import dev.relay.local.ServiceEndpoints;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the one pooled, non-blocking Redis client every store class uses (no key prefix, as the legacy). */
public class RedisClients {

    @Produces
    @Singleton
    RedisStore redis(Vertx vertx, ServiceEndpoints endpoints, RelayConfig config) {
        return new RedisStore(Redis.createClient(vertx,
                options(endpoints.redis().connectionString(), config.redis().poolSize())));
    }

    void close(@Disposes RedisStore store) {
        store.close();
    }

    public static RedisOptions options(String connectionString, int poolSize) {
        return new RedisOptions()
                .setType(RedisClientType.STANDALONE)
                .setConnectionString(connectionString)
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(100_000)
                .setMaxWaitingHandlers(100_000);
    }
}
