package dev.relay.bench;

import java.time.Duration;
import java.util.Map;

/**
 * One load phase: {@code connections} keep-alive connections each sending the same POST back to back for
 * {@code warmup + duration}; only requests started after the warm-up are measured.
 *
 * @param stream whether the answer must be a complete SSE stream (ending with message_stop)
 */
record LoadSpec(String name, String host, int port, String uri, Map<String, String> headers, String body,
        boolean stream, int connections, Duration warmup, Duration duration) {
}
