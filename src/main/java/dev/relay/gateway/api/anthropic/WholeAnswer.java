package dev.relay.gateway.api.anthropic;

import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.Flight;
import dev.relay.gateway.upstream.claude.AnthropicUsage;
import dev.relay.gateway.upstream.claude.UpstreamErrorSanitizer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A whole (non-stream) answer to an Anthropic client: the upstream's status and headers, the model as the client
 * asked for it, and the bill of a successful generation.
 */
final class WholeAnswer {
    private final Flight flight;
    private final MessagesRequest request;
    /** Null for count_tokens, which is never billed and keeps the upstream's model. */
    private final AttributedBill billing;

    WholeAnswer(Flight flight, MessagesRequest request, AttributedBill billing) {
        this.flight = flight;
        this.request = request;
        this.billing = billing;
    }

    void send(int status, MultiMap upstreamHeaders, Buffer body, boolean success) {
        boolean generation = billing != null;
        Object parsed = null;
        try {
            parsed = Json.decodeValue(body);
        } catch (DecodeException e) {
            // not JSON: sent as it came
        }
        Buffer out = body;
        if (parsed instanceof JsonObject json) {
            Object upstreamModel = json.getValue("model");
            if (generation) {
                // the route stamps the requested model on every JSON body, error bodies too (fixture 10)
                if (request.model() != null) {
                    json.put("model", request.model());
                }
                if (success) {
                    billing.bill(AnthropicUsage.of(json.getJsonObject("usage")));
                }
            }
            // a success that already names the requested model goes out as it came (no re-encoding)
            if (!(success && generation && request.model() != null && request.model().equals(upstreamModel))) {
                out = json.toBuffer();
            }
        }
        flight.exchange().finish();
        ClientAnswer.forward(flight.ctx().response(), status, upstreamHeaders, out);
    }

    /**
     * An upstream error, passed on as the upstream wrote it except for what would name the account
     * ({@link UpstreamErrorSanitizer}); unlike a success it does not get the requested model stamped in
     * (docs/redis-compat.md).
     */
    void error(int status, MultiMap upstreamHeaders, Buffer payload) {
        Buffer sanitized = payload;
        try {
            Object parsed = Json.decodeValue(payload);
            if (parsed instanceof JsonObject json) {
                JsonObject cleaned = UpstreamErrorSanitizer.json(json);
                sanitized = cleaned == json ? payload : cleaned.toBuffer();
            }
        } catch (DecodeException e) {
            String text = payload.toString();
            String cleaned = UpstreamErrorSanitizer.text(text);
            sanitized = cleaned.equals(text) ? payload : Buffer.buffer(cleaned);
        }
        answerError(status, upstreamHeaders, sanitized);
    }

    /** relay's own answer in place of an upstream error (e.g. a dedicated account's rate limit). */
    void refusal(int status, JsonObject body) {
        answerError(status, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"),
                body.toBuffer());
    }

    private void answerError(int status, MultiMap upstreamHeaders, Buffer sanitized) {
        flight.exchange().finish();
        if (request.stream()) {
            ClientAnswer.streamRequestError(flight.ctx().response(), status, upstreamHeaders, sanitized);
        } else {
            ClientAnswer.forward(flight.ctx().response(), status, upstreamHeaders, sanitized);
        }
    }
}
