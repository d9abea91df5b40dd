package dev.relay.usage;

import dev.relay.config.RelayConfig;
import dev.relay.config.ServiceEndpoints;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/** The reactive PostgreSQL pool (usage dual-write and health), built from the legacy POSTGRES_* settings. */
@Singleton
public class PostgresPool {
    private final Pool pool;

    public PostgresPool(Vertx vertx, ServiceEndpoints endpoints, RelayConfig config) {
        String url = endpoints.postgresUrl().replaceFirst("^postgres://", "postgresql://");
        this.pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(config.postgres().poolSize()))
                // the client's meters are named sql_* instead of m__* (health.ClientConnectionGauges)
                .connectingTo(PgConnectOptions.fromUri(url).setCachePreparedStatements(true).setMetricsName("sql|relay"))
                .using(vertx)
                .build();
    }

    public Pool pool() {
        return pool;
    }

    @PreDestroy
    void close() {
        pool.close();
    }
}
