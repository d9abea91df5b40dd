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

    /** The {@code {"error": {"type", "message"}}} shape used by the route handlers. */
    public static RelayFailure typed(int status, String type, String message) {
        return new RelayFailure(status,
                new JsonObject().put("error", new JsonObject().put("type", type).put("message", message)));
    }
}
