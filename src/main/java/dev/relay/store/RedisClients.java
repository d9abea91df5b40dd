package dev.relay.store;

import dev.relay.config.RelayConfig;
import dev.relay.config.ServiceEndpoints;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Builds the one pooled, non-blocking Redis client every store class uses (no key prefix, as the legacy). */
public class RedisClients {
    /**
     * The Vert.x RESP parser keeps appending reply chunks to one buffer until 16 KiB of it have been read, so under
     * pipelined load every chunk copies the whole buffer again (half of the gateway's allocations in a profile).
     * A watermark of 0 drops the read part at every chunk instead. Read once, when the parser class loads, so it
     * is set before the first client exists; an operator's own -D value wins.
     */
    static final String PARSER_WATERMARK = "io.vertx.redis.parser.watermark";

    static {
        if (System.getProperty(PARSER_WATERMARK) == null) {
            System.setProperty(PARSER_WATERMARK, "0");
        }
    }

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
