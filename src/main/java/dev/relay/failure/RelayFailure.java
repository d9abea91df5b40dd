package dev.relay.failure;

import dev.relay.store.LegacyClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * A refusal or failure that becomes one HTTP answer: the status, the body in the client's API format and any
 * extra headers (e.g. {@code Retry-After}). Thrown or returned before the first byte reaches the client.
 */
public final class RelayFailure extends RuntimeException {
    private final int status;
    private final JsonObject body;
    private final Map<String, String> headers;

    public RelayFailure(int status, JsonObject body) {
        this(status, body, Map.of());
    }

    public RelayFailure(int status, JsonObject body, Map<String, String> headers) {
        super(status + " " + body.encode(), null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public JsonObject body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The legacy's {@code {"error": <title>, "message": <text>}} shape used by the auth middleware. */
    public static RelayFailure plain(int status, String error, String message) {
        return new RelayFailure(status, new JsonObject().put("error", error).put("message", message));
    }

    /**
     * The route's generic {@code {"error": "Relay service error", "message", "timestamp"}} body (relay.md §5.1),
     * written when relay itself cannot serve the request.
     */
    public static RelayFailure serviceError(int status, String message) {
        return serviceError(status, message, Map.of());
    }

    /** As {@link #serviceError(int, String)}, with headers such as {@code retry-after}. */
    public static RelayFailure serviceError(int status, String message, Map<String, String> headers) {
        return new RelayFailure(status, new JsonObject().put("error", "Relay service error").put("message", message)
                .put("timestamp", LegacyClock.iso(Instant.now())), headers);
    }

    /** Seconds a client is asked to wait before retrying while Redis is unreachable. */
    public static final int STORAGE_RETRY_AFTER_SECONDS = 5;

    /**
     * Redis (relay's storage, shared with the legacy) cannot be reached: a retryable 503 with {@code Retry-After},
     * in the {@code {"type": "error", "error": {"type", "message"}}} shape Anthropic's SDKs parse (and OpenAI's
     * read: {@code error.message}). The legacy answers 500 "Authentication error" here.
     */
    public static RelayFailure storageUnavailable() {
        return unavailable("Storage unavailable, retry shortly", STORAGE_RETRY_AFTER_SECONDS, Map.of());
    }

    /** This instance is shutting down: new requests get a retryable 503 and the connection is closed. */
    public static RelayFailure shuttingDown() {
        return unavailable("Server is shutting down, retry shortly", 1, Map.of("Connection", "close"));
    }

    private static RelayFailure unavailable(String message, int retryAfterSeconds, Map<String, String> extra) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(extra);
        headers.put("Retry-After", Integer.toString(retryAfterSeconds));
        return new RelayFailure(503, new JsonObject().put("type", "error").put("error",
                new JsonObject().put("type", "api_error").put("message", message)), Map.copyOf(headers));
    }

    /** The {@code {"error": {"type", "message"}}} shape used by the route handlers. */
    public static RelayFailure typed(int status, String type, String message) {
        return new RelayFailure(status,
                new JsonObject().put("error", new JsonObject().put("type", type).put("message", message)));
    }
}
