package dev.relay.store;

import dev.relay.config.RelayConfig;
import dev.relay.config.ServiceEndpoints;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Builds the one pooled, non-blocking Redis client every store class uses (no key prefix, as the legacy), and its
 * metrics.
 */
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

    /**
     * Vert.x names the Redis client's meters after this ({@code <prefix>|<clientName>}, Quarkus' convention); without
     * it they are named {@code .processing}, {@code .queue.size}, … and exported as {@code m__processing_seconds}.
     */
    static final String METRICS_NAME = "redis|relay";
    /**
     * What Vert.x's per-connection {@code redis.current} gauge would show for the whole pool (that one is not exported,
     * see {@code health.ClientConnectionGauges}).
     */
    public static final String PENDING_METRIC = "relay_redis_pending_requests";

    @Produces
    @Singleton
    RedisStore redis(Vertx vertx, ServiceEndpoints endpoints, RelayConfig config, MeterRegistry meters) {
        RedisOptions options = options(endpoints.redis().connectionString(), config.redis().poolSize());
        options.getNetClientOptions().setMetricsName(METRICS_NAME);
        RedisStore store = new RedisStore(Redis.createClient(vertx, options), new RedisAvailability(meters));
        Gauge.builder(PENDING_METRIC, store, RedisStore::pendingRequests)
                .description("Redis requests (commands or pipelines) sent and not answered yet, for the whole pool")
                .register(meters);
        return store;
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
