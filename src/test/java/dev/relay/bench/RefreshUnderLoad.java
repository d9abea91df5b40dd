package dev.relay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The refresh-under-load phase's odd request: one call on a key whose OAuth account's token has expired, sent while
 * the OAuth phase's load runs, so its 2 s token call overlaps the other requests (whose p99 the phase reports).
 */
final class RefreshUnderLoad {
    /** What the refreshing request saw: its status and latency, -1 until it is done. */
    static final class Outcome {
        volatile int status = -1;
        volatile long millis = -1;
        volatile String error;
    }

    private RefreshUnderLoad() {
    }

    /** Starts a thread that waits {@code delayMs}, then sends one non-stream request with {@code headers}. */
    static Outcome fireAfter(long delayMs, int port, String path, Map<String, String> headers, String body) {
        Outcome outcome = new Outcome();
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(delayMs);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
                headers.forEach(b::header);
                long start = System.nanoTime();
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                outcome.millis = (System.nanoTime() - start) / 1_000_000;
                outcome.status = r.statusCode();
            } catch (Exception e) {
                outcome.error = e.toString();
            }
        }, "refresh-under-load");
        t.setDaemon(true);
        t.start();
        return outcome;
    }
}
