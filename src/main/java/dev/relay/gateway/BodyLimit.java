package dev.relay.gateway;

import dev.relay.config.RelayConfig;
import dev.relay.failure.RelayFailure;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * relay's one limit on request bodies ({@code relay.max-body-mb}, the legacy's {@code REQUEST_MAX_SIZE_MB}) and the
 * 413 that refuses a larger one. The legacy's JSON parser stops at a hard-coded 10 MB below its own 60 MB gate
 * (relay.md §2, §12.2); relay has this limit only (docs/redis-compat.md).
 */
@Singleton
public class BodyLimit {
    private static final long MB = 1024 * 1024;
    private final long maxBytes;
    private final Map<String, Function<String, RelayFailure>> ownFormats = new ConcurrentHashMap<>();

    @Inject
    public BodyLimit(RelayConfig config) {
        this(config.maxBodyMb() * MB);
    }

    BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Makes {@code path} refuse a too-large body in its client API's format (e.g. Anthropic's for the Messages
     * routes, which Claude Code and the SDKs parse); {@code tooLarge} gets the limit as text ("60MB").
     */
    public void refuseInOwnFormat(String path, Function<String, RelayFailure> tooLarge) {
        ownFormats.put(path, tooLarge);
    }

    /**
     * The refusal of a body over the limit on {@code path} (normalized): the client API's own shape where one was
     * registered, else the legacy's size-gate shape, with the real limit where the legacy always says "10MB".
     */
    public RelayFailure refusal(String path) {
        String limit = maxBytes / MB + "MB";
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Function<String, RelayFailure> own = ownFormats.get(p);
        if (own != null) {
            return own.apply(limit);
        }
        return new RelayFailure(413, new JsonObject().put("error", "Payload Too Large")
                .put("message", "Request body size exceeds limit").put("limit", limit));
    }
}
