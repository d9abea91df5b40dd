package dev.relay.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One load phase: {@code connections} keep-alive connections each sending the same POST back to back for
 * {@code warmup + duration}; only requests started after the warm-up are measured.
 *
 * @param stream whether the answer must be a complete SSE stream (ending with message_stop)
 * @param requestTimeoutMs how long one request may go without data before it counts as an error
 * @param ratePerSecond 0 for a closed loop; otherwise an open loop: requests start on a fixed schedule of this
 *        many per second whatever the answers do, over at most {@code connections} connections, and a request's
 *        latency counts from the 1 ms tick that sends it (answers never delay the schedule)
 */
record LoadSpec(String name, String host, int port, String uri, Map<String, String> headers, String body,
        boolean stream, int connections, Duration warmup, Duration duration, long requestTimeoutMs,
        int ratePerSecond) {

    LoadSpec(String name, String host, int port, String uri, Map<String, String> headers, String body,
            boolean stream, int connections, Duration warmup, Duration duration, long requestTimeoutMs) {
        this(name, host, port, uri, headers, body, stream, connections, warmup, duration, requestTimeoutMs, 0);
    }

    LoadSpec atRate(int perSecond) {
        return new LoadSpec(name, host, port, uri, headers, body, stream, connections, warmup, duration,
                requestTimeoutMs, perSecond);
    }

    LoadSpec(String name, String host, int port, String uri, Map<String, String> headers, String body,
            boolean stream, int connections, Duration warmup, Duration duration) {
        this(name, host, port, uri, headers, body, stream, connections, warmup, duration,
                LoadGenerator.REQUEST_TIMEOUT_MS);
    }
}
