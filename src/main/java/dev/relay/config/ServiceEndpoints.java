package dev.relay.config;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Where Redis and PostgreSQL are. When the operator configured none, and embedded services are allowed, it
 * has real embedded servers started ({@link EmbeddedServices}) whose data lives under the data folder, so a
 * newcomer can run the gateway with a JDK only.
 */
@Singleton
public class ServiceEndpoints {
    private static final Logger LOG = Logger.getLogger(ServiceEndpoints.class);

    private final RelayConfig config;
    private final EmbeddedServices embedded;
    private RedisEndpoint redis;
    private String postgresUrl;

    public ServiceEndpoints(RelayConfig config, EmbeddedServices embedded) {
        this.config = config;
        this.embedded = embedded;
    }

    public record RedisEndpoint(String host, int port, String password, int db, boolean tls, boolean embedded) {
        public String connectionString() {
            String auth = password == null || password.isEmpty() ? "" : ":" + password + "@";
            return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + db;
        }
    }

    public synchronized RedisEndpoint redis() {
        if (redis == null) {
            var r = config.redis();
            if (r.host().isPresent()) {
                redis = new RedisEndpoint(r.host().get(), r.port(), r.password().orElse(""), parseDb(r.db()),
                        "true".equals(r.enableTls()), false);
            } else {
                requireEmbeddedAllowed("REDIS_HOST");
                Path dataDir = Path.of(config.dataDir(), "redis");
                int port;
                try {
                    port = embedded.startRedis(dataDir);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start the embedded Redis", e);
                }
                LOG.warnf("No REDIS_HOST configured: started an embedded Redis on 127.0.0.1:%d (data in %s)", port,
                        dataDir.toAbsolutePath());
                redis = new RedisEndpoint("127.0.0.1", port, "", 0, false, true);
            }
        }
        return redis;
    }

    public synchronized String postgresUrl() {
        if (postgresUrl == null) {
            var p = config.postgres();
            if (p.url().isPresent()) {
                postgresUrl = p.url().get();
            } else if (p.host().isPresent()) {
                String auth = p.user() + p.password().map(pw -> ":" + pw).orElse("");
                postgresUrl = "postgresql://" + auth + "@" + p.host().get() + ":" + p.port() + "/" + p.database();
            } else {
                requireEmbeddedAllowed("POSTGRES_HOST or POSTGRES_URL");
                try {
                    postgresUrl = embedded.startPostgres(Path.of(config.dataDir(), "postgres"));
                } catch (IOException e) {
                    throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
                }
                LOG.warnf("No POSTGRES_HOST configured: started an embedded PostgreSQL on 127.0.0.1:%d",
                        URI.create(postgresUrl).getPort());
            }
        }
        return postgresUrl;
    }

    /** True when this process runs on its own embedded Redis, i.e. a local trial installation. */
    public boolean localTrial() {
        return redis().embedded();
    }

    private void requireEmbeddedAllowed(String variable) {
        if (!config.embeddedServices()) {
            throw new IllegalStateException(variable + " is not set and embedded services are disabled "
                    + "(RELAY_EMBEDDED_SERVICES=false): configure the external server");
        }
    }

    /** Legacy {@code parseInt(REDIS_DB) || 0}. */
    static int parseDb(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
