package dev.relay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A redis-server of its own for outage tests: stopped and started again on the same port, keeping its data in an
 * append-only file (fsync on every write) so that what was applied before the stop is there after it.
 */
public final class RestartableRedis implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private RedisServer server;

    public RestartableRedis(Path dataDir) {
        this.dataDir = dataDir;
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    public String connectionString() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public void start() {
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                    .setting("dir " + dataDir.toAbsolutePath()).setting("appendonly yes")
                    .setting("appendfsync always").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
