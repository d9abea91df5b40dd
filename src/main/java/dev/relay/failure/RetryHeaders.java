package dev.relay.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers by which a refusal tells a client when to come back (Claude Code and the Anthropic SDKs read them):
 * {@code retry-after} in whole seconds when the time is known, {@code x-should-retry: false} when retrying soon
 * cannot help (the SDKs otherwise retry every 429 and 5xx on their own schedule).
 */
public final class RetryHeaders {
    public static final String RETRY_AFTER = "retry-after";
    public static final String SHOULD_RETRY = "x-should-retry";

    private RetryHeaders() {
    }

    /** Come back at {@code at}: at least one second from now, rounded up. */
    public static Map<String, String> at(Instant at, Instant now) {
        return Map.of(RETRY_AFTER, String.valueOf(seconds(at, now)));
    }

    /** Retrying will not help before {@code at} (null: not at all): no retries, and when it would. */
    public static Map<String, String> notBefore(Instant at, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (at != null) {
            headers.put(RETRY_AFTER, String.valueOf(seconds(at, now)));
        }
        headers.put(SHOULD_RETRY, "false");
        return headers;
    }

    static long seconds(Instant at, Instant now) {
        long millis = Duration.between(now, at).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
