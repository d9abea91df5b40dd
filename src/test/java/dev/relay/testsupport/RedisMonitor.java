package dev.relay.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Collects what the test Redis executes ({@code MONITOR}), to check which commands a request caused. */
public final class RedisMonitor implements AutoCloseable {
    private final Socket socket;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    public RedisMonitor() throws Exception {
        socket = new Socket(TestServices.redisHost(), TestServices.redisPort());
        socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String ok = in.readLine();
        if (!"+OK".equals(ok)) {
            throw new IllegalStateException("MONITOR refused: " + ok);
        }
        reader = new Thread(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // closed
            }
        }, "redis-monitor");
        reader.setDaemon(true);
        reader.start();
    }

    /** The executed commands so far, as MONITOR prints them (e.g. {@code "get" "key"}), without timestamps. */
    public List<String> commands() {
        synchronized (lines) {
            return lines.stream().map(l -> l.substring(l.indexOf(']') + 2)).toList();
        }
    }

    /**
     * The commands Redis executed before this call, all of them: a marker command goes through {@code redis} and
     * the list ends where MONITOR shows it, so nothing sent before the call is still on its way.
     */
    public List<String> commandsBefore(TestRedis redis) throws InterruptedException {
        String marker = "monitor-barrier-" + UUID.randomUUID();
        redis.call("ECHO", marker);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            List<String> seen = commands();
            for (int i = 0; i < seen.size(); i++) {
                if (seen.get(i).equalsIgnoreCase("\"echo\" \"" + marker + "\"")) {
                    return seen.subList(0, i);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("MONITOR did not show the marker within 5 s: " + seen);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        reader.join(1000);
    }
}
