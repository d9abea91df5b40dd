package dev.relay.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    @Override
    public void close() throws Exception {
        socket.close();
        reader.join(1000);
    }
}
