package dev.relay.health;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Vert.x's Redis and PostgreSQL clients build their client meters once per pooled connection, all under one name.
 * Micrometer shares counters and timers of the same name, but a gauge reads the connection that registered it first:
 * {@code <prefix>.queue.size} and {@code <prefix>.current} would show one connection out of the pool, and each
 * further connection's registration is refused with a WARN ("This Gauge has been already registered"). They are not
 * exported; the pool-wide figures are {@code relay_redis_pending_requests} and the SQL pool's {@code sql_pool_*}.
 */
public class ClientConnectionGauges {
    static final Set<String> PER_CONNECTION_CLIENTS = Set.of("redis", "sql");
    static final Set<String> PER_CONNECTION_GAUGES = Set.of(".queue.size", ".current");

    @Produces
    @Singleton
    MeterFilter perConnectionGauges() {
        return MeterFilter.deny(id -> {
            String client = id.getTag("clientType");
            return client != null && PER_CONNECTION_CLIENTS.contains(client)
                    && PER_CONNECTION_GAUGES.stream().anyMatch(id.getName()::endsWith);
        });
    }
}
