package dev.relay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (the binary on PATH) on a free loopback port, for fault tests: stopped (SIGTERM, so
 * it writes its append-only file as a real shutdown does) and started again on the same port with the same data,
 * or frozen (SIGSTOP: connections stay open, nothing answers) and thawed (SIGCONT).
 */
public final class RedisServerProcess implements AutoCloseable {
    private final int port;
    private final Path dataDir;
    private Process process;

    public RedisServerProcess(Path dataDir) {
        this.dataDir = dataDir;
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = freePort();
        start();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String connectionString() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public long pid() {
        return process.pid();
    }

    /** Starts the server (unless it runs) and waits until it accepts connections. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            thaw();
            return;
        }
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir",
                    dataDir.toAbsolutePath().toString(), "--protected-mode", "no", "--loglevel", "warning"))
                    .redirectErrorStream(true).redirectOutput(dataDir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server must be on the PATH", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("redis-server did not start on " + port + "; see "
                        + dataDir.resolve("redis.log"));
            }
            pause(20);
        }
    }

    /** SIGTERM and wait for the process to end (Redis fsyncs its AOF and closes every connection). */
    public synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        thaw();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process keeps its connections but answers nothing until {@link #thaw}. */
    public synchronized void freeze() {
        signal("STOP");
    }

    public synchronized void thaw() {
        if (process != null && process.isAlive()) {
            signal("CONT");
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
