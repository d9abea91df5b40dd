package dev.relay.gateway.api.anthropic;

import dev.relay.failure.RelayFailure;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The answer to count_tokens when no account of the key's pool can count: the legacy's 501 for accounts without
 * the endpoint (relay.md §5.6, its Bedrock/CCR answer), never a made-up count. A client that gets it counts on
 * its own (Claude Code estimates locally); {@code x-should-retry: false} keeps the SDKs from retrying a 5xx.
 */
final class CountTokensUnsupported {
    static final int STATUS = 501;

    private CountTokensUnsupported() {
    }

    static RelayFailure failure() {
        return new RelayFailure(STATUS, new JsonObject().put("error", new JsonObject().put("type", "not_supported")
                .put("message", "Token counting is not supported by the accounts serving this key")),
                Map.of("x-should-retry", "false"));
    }
}
