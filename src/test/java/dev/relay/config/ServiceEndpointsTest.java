package dev.relay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configured servers are used as given; only an unconfigured one is started embedded, in the data folder. */
class ServiceEndpointsTest {
    /** For tests whose servers are all configured: starting one is a failure of the test. */
    static final EmbeddedServices NO_EMBEDDED = new EmbeddedServices() {
        @Override
        public int startRedis(Path dataDir) {
            throw new AssertionError("no embedded Redis expected");
        }

        @Override
        public String startPostgres(Path dataDir) {
            throw new AssertionError("no embedded PostgreSQL expected");
        }
    };

    /** Records what it was asked to start and answers with fixed addresses. */
    static final class StartedServers implements EmbeddedServices {
        final List<String> started = new ArrayList<>();

        @Override
        public int startRedis(Path dataDir) {
            started.add("redis " + dataDir);
            return 7001;
        }

        @Override
        public String startPostgres(Path dataDir) {
            started.add("postgres " + dataDir);
            return "postgresql://postgres@127.0.0.1:7002/postgres";
        }
    }

    @Test
    void aConfiguredRedisIsUsedAsTheLegacyReadsItsSettings() {
        ServiceEndpoints endpoints = new ServiceEndpoints(SecretsTest.config(Map.of(
                "relay.redis.host", "redis.internal", "relay.redis.port", "6380", "relay.redis.password", "pw",
                "relay.redis.db", "x3", "relay.redis.enable-tls", "true")), NO_EMBEDDED);

        assertEquals("rediss://:pw@redis.internal:6380/0", endpoints.redis().connectionString(),
                "an unparseable REDIS_DB is 0, as parseInt(x) || 0");
        assertFalse(endpoints.localTrial());
    }

    @Test
    void withoutRedisHostAnEmbeddedRedisIsStartedOnceInTheDataFolder() {
        StartedServers servers = new StartedServers();
        ServiceEndpoints endpoints = new ServiceEndpoints(SecretsTest.config(Map.of("relay.data-dir", "trial")),
                servers);

        assertEquals("redis://127.0.0.1:7001/0", endpoints.redis().connectionString());
        assertTrue(endpoints.localTrial());
        assertEquals(List.of("redis " + Path.of("trial", "redis")), servers.started);
    }

    @Test
    void withEmbeddedServicesDisabledAMissingServerIsAnError() {
        StartedServers servers = new StartedServers();
        ServiceEndpoints endpoints = new ServiceEndpoints(SecretsTest.config(Map.of(
                "relay.embedded-services", "false")), servers);

        var redis = assertThrows(IllegalStateException.class, endpoints::redis);
        assertTrue(redis.getMessage().contains("REDIS_HOST"), redis.getMessage());
        var postgres = assertThrows(IllegalStateException.class, endpoints::postgresUrl);
        assertTrue(postgres.getMessage().contains("POSTGRES_HOST"), postgres.getMessage());
        assertEquals(List.of(), servers.started);
    }

    @Test
    void postgresIsTheConfiguredUrlOrHostOrElseAnEmbeddedServer() {
        assertEquals("postgres://u:p@db:5433/x", new ServiceEndpoints(SecretsTest.config(Map.of(
                "relay.postgres.url", "postgres://u:p@db:5433/x", "relay.postgres.host", "ignored")), NO_EMBEDDED)
                .postgresUrl());
        assertEquals("postgresql://relay:secret@db.internal:5432/claude_relay", new ServiceEndpoints(
                SecretsTest.config(Map.of("relay.postgres.host", "db.internal", "relay.postgres.user", "relay",
                        "relay.postgres.password", "secret")), NO_EMBEDDED).postgresUrl());

        StartedServers servers = new StartedServers();
        ServiceEndpoints embedded = new ServiceEndpoints(SecretsTest.config(Map.of("relay.data-dir", "trial")),
                servers);
        assertEquals("postgresql://postgres@127.0.0.1:7002/postgres", embedded.postgresUrl());
        assertEquals(List.of("postgres " + Path.of("trial", "postgres")), servers.started);
    }
}
