package dev.relay.relay;

import dev.relay.config.RelayConfig;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * relay's one limit on request bodies ({@code relay.max-body-mb}, the legacy's {@code REQUEST_MAX_SIZE_MB}) and the
 * 413 that refuses a larger one. The legacy's JSON parser stops at a hard-coded 10 MB below its own 60 MB gate
 * (relay.md §2, §12.2); relay has this limit only (docs/redis-compat.md).
 */
@Singleton
public class BodyLimit {
    private static final long MB = 1024 * 1024;
    private final long maxBytes;

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
     * The refusal of a body over the limit: Anthropic's error shape on the Messages routes (Claude Code and the SDKs
     * parse it), the legacy's size-gate shape elsewhere, with the real limit where the legacy always says "10MB".
     */
    public RelayFailure refusal(boolean anthropicRoute) {
        String limit = maxBytes / MB + "MB";
        if (anthropicRoute) {
            return new RelayFailure(413, new JsonObject().put("type", "error").put("error", new JsonObject()
                    .put("type", "request_too_large").put("message", "Request body size exceeds limit (" + limit + ")")));
        }
        return new RelayFailure(413, new JsonObject().put("error", "Payload Too Large")
                .put("message", "Request body size exceeds limit").put("limit", limit));
    }
}
