package dev.relay.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One load phase: {@code connections} keep-alive connections each sending the same POST back to back for
 * {@code warmup + duration}; only requests started after the warm-up are measured.
 *
 * @param stream whether the answer must be a complete SSE stream (ending with message_stop)
 * @param requestTimeoutMs how long one request may go without data before it counts as an error
 */
record LoadSpec(String name, String host, int port, String uri, Map<String, String> headers, String body,
        boolean stream, int connections, Duration warmup, Duration duration, long requestTimeoutMs) {

    LoadSpec(String name, String host, int port, String uri, Map<String, String> headers, String body,
            boolean stream, int connections, Duration warmup, Duration duration) {
        this(name, host, port, uri, headers, body, stream, connections, warmup, duration,
                LoadGenerator.REQUEST_TIMEOUT_MS);
    }
}
