package dev.relay.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real PostgreSQL server unpacked from Maven binaries; for trial runs and tests only. */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts on a free port; with a data folder the cluster is kept there between runs. */
    public static EmbeddedPostgresServer start(Path dataDir) throws IOException {
        var builder = EmbeddedPostgres.builder().setPort(EmbeddedRedis.freePort());
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            builder.setDataDirectory(dataDir.toAbsolutePath()).setCleanDataDirectory(false);
        }
        return new EmbeddedPostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    /** The superuser database every embedded cluster has; user {@code postgres}, no password. */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
