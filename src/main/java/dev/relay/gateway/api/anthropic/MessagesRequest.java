package dev.relay.gateway.api.anthropic;

import dev.relay.failure.RelayFailure;
import dev.relay.gateway.ClientRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A parsed Anthropic Messages request: the raw bytes (forwarded untouched when possible) and the JSON tree.
 * {@code object} is false for a JSON array body, which the legacy's parser accepts and its route refuses only after
 * authentication (relay.md §2, §3.3); {@code json} is then empty.
 */
public record MessagesRequest(Buffer raw, JsonObject json, String model, boolean stream, boolean object)
        implements ClientRequest {

    /**
     * Parses the body. An empty body counts as {@code {}} (the legacy's parser leaves it so); malformed JSON or a
     * bare string/number/null is a 400 in Anthropic's error format before anything else happens.
     */
    public static MessagesRequest parse(Buffer body) {
        if (body == null || body.length() == 0) {
            return new MessagesRequest(Buffer.buffer(), new JsonObject(), null, false, true);
        }
        Object parsed;
        try {
            parsed = Json.decode(body);
        } catch (DecodeException e) {
            throw invalid("Request body is not valid JSON");
        }
        if (parsed instanceof JsonArray) {
            return new MessagesRequest(body, new JsonObject(), null, false, false);
        }
        if (!(parsed instanceof JsonObject json)) {
            throw invalid("Request body must be a JSON object");
        }
        Object model = json.getValue("model");
        return new MessagesRequest(body, json, model instanceof String m ? m : null,
                Boolean.TRUE.equals(json.getValue("stream")), true);
    }

    /** The legacy's checks on the body and {@code messages} (relay.md §3.3), then a model must be named. */
    public void validate() {
        if (!object) {
            throw RelayFailure.plain(400, "Invalid request", "Request body must be a valid JSON object");
        }
        Object messages = json.getValue("messages");
        if (!(messages instanceof JsonArray list)) {
            throw RelayFailure.plain(400, "Invalid request", "Missing or invalid field: messages (must be an array)");
        }
        if (list.isEmpty()) {
            throw RelayFailure.plain(400, "Invalid request", "Messages array cannot be empty");
        }
        if (model == null || model.isBlank()) {
            throw invalid("model: Field required");
        }
    }

    /** Anthropic's own error shape, which Claude Code and the SDKs parse. */
    public static RelayFailure invalid(String message) {
        return new RelayFailure(400, new JsonObject().put("type", "error").put("error",
                new JsonObject().put("type", "invalid_request_error").put("message", message)));
    }

    @Override
    public String schedulingModel() {
        return modelWithoutVendor();
    }

    /** The body for the upstream, with the model replaced when an account maps it. */
    @Override
    public Buffer bodyFor(String upstreamModel) {
        if (upstreamModel == null || upstreamModel.equals(model)) {
            return raw;
        }
        return json.copy().put("model", upstreamModel).toBuffer();
    }

    @Override
    public String legacySessionHash() {
        return object ? dev.relay.scheduler.SessionHash.legacyOf(json) : null;
    }

    @Override
    public String vendor() {
        return model != null && model.regionMatches(true, 0, "ccr,", 0, 4) ? "ccr" : null;
    }

    /** Model name without a {@code ccr,} vendor prefix (relay.md §4.2 step 2). */
    public String modelWithoutVendor() {
        if (model != null && model.regionMatches(true, 0, "ccr,", 0, 4)) {
            return model.substring(4);
        }
        return model;
    }

    private static final class Json {
        static Object decode(Buffer body) {
            return io.vertx.core.json.Json.decodeValue(body);
        }
    }
}
