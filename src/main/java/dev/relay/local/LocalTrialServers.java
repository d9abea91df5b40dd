package dev.relay.local;

import dev.relay.config.EmbeddedServices;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;

/** The embedded Redis and PostgreSQL of a local trial run, started on demand and stopped with the gateway. */
@Singleton
public class LocalTrialServers implements EmbeddedServices {
    private EmbeddedRedis redis;
    private EmbeddedPostgresServer postgres;

    @Override
    public synchronized int startRedis(Path dataDir) throws IOException {
        redis = EmbeddedRedis.start(dataDir);
        return redis.port();
    }

    @Override
    public synchronized String startPostgres(Path dataDir) throws IOException {
        postgres = EmbeddedPostgresServer.start(dataDir);
        return postgres.url("postgres");
    }

    synchronized void onStop(@Observes ShutdownEvent event) throws IOException {
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
