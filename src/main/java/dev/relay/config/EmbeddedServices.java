package dev.relay.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts the servers of a local trial run: {@link ServiceEndpoints} asks for one only when the operator configured
 * none and embedded services are allowed. Implemented where the embedded servers live ({@code dev.relay.local}),
 * which also stops them when the gateway stops.
 */
public interface EmbeddedServices {
    /** Starts a Redis on a free loopback port whose data lives in {@code dataDir}; returns the port. */
    int startRedis(Path dataDir) throws IOException;

    /** Starts a PostgreSQL on a free loopback port whose cluster lives in {@code dataDir}; returns its URL. */
    String startPostgres(Path dataDir) throws IOException;
}
