package dev.relay.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/** A real redis-server process shipped inside a Maven artifact; for trial runs and tests only. */
public final class EmbeddedRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a server on a free loopback port. With a data folder the keyspace is saved there (append-only file)
     * and survives restarts; without one nothing is kept.
     */
    public static EmbeddedRedis start(Path dataDir) throws IOException {
        int port = freePort();
        var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"");
        if (dataDir != null) {
            Files.createDirectories(dataDir);
            builder.setting("dir " + dataDir.toAbsolutePath()).setting("appendonly yes");
        } else {
            builder.setting("appendonly no");
        }
        RedisServer server = builder.build();
        server.start();
        return new EmbeddedRedis(server, port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
