package dev.relay.testsupport;

import dev.relay.local.EmbeddedPostgresServer;
import dev.relay.local.EmbeddedRedis;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The Redis and PostgreSQL every test in this JVM uses: embedded servers on free ports, started once, unless
 * {@code RELAY_TEST_REDIS_HOST}/{@code RELAY_TEST_REDIS_PORT}/{@code RELAY_TEST_REDIS_DB} and
 * {@code RELAY_TEST_POSTGRES_URL} point at servers set aside for tests (they get flushed).
 */
public final class TestServices {
    /** The key the fixtures were captured with (shared/legacy/fixtures/INDEX-relay.md). */
    public static final String FIXTURE_ENCRYPTION_KEY = "fixture-encryption-key-32-bytes!";

    /** Set by the fast lane ({@code -Dgroups=fast}, pom.xml), whose tests use no Redis or PostgreSQL. */
    static final String FAST_LANE = "relay.test.fast-lane";

    private static EmbeddedRedis redis;
    private static EmbeddedPostgresServer postgres;

    private TestServices() {
    }

    public static synchronized String redisHost() {
        refuseInTheFastLane("Redis");
        String host = System.getenv("RELAY_TEST_REDIS_HOST");
        if (host != null) {
            return host;
        }
        startRedis();
        return "127.0.0.1";
    }

    public static synchronized int redisPort() {
        refuseInTheFastLane("Redis");
        String port = System.getenv("RELAY_TEST_REDIS_PORT");
        if (System.getenv("RELAY_TEST_REDIS_HOST") != null) {
            return port == null ? 6379 : Integer.parseInt(port);
        }
        startRedis();
        return redis.port();
    }

    public static int redisDb() {
        String db = System.getenv("RELAY_TEST_REDIS_DB");
        return db == null ? 0 : Integer.parseInt(db);
    }

    public static String redisConnectionString() {
        return "redis://" + redisHost() + ":" + redisPort() + "/" + redisDb();
    }

    public static synchronized String postgresUrl() {
        refuseInTheFastLane("PostgreSQL");
        String url = System.getenv("RELAY_TEST_POSTGRES_URL");
        if (url != null) {
            return url;
        }
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgresServer.start(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres.url("postgres");
    }

    private static void refuseInTheFastLane(String server) {
        if (Boolean.getBoolean(FAST_LANE)) {
            throw new IllegalStateException("a test tagged fast asked for " + server
                    + ": the fast lane runs without servers, so remove its @Tag(\"fast\")");
        }
    }

    private static void startRedis() {
        if (redis == null) {
            try {
                redis = EmbeddedRedis.start(null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    redis.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
    }
}
