package dev.relay.gateway.api.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Events relay itself writes into an Anthropic event stream. */
final class AnthropicEvents {
    private AnthropicEvents() {
    }

    /** The terminal {@code error} event of a stream that could not be completed. */
    static Buffer error(String message) {
        JsonObject event = new JsonObject().put("type", "error")
                .put("error", new JsonObject().put("type", "api_error").put("message", message));
        return Buffer.buffer("event: error\ndata: " + event.encode() + "\n\n");
    }
}
