package dev.relay.gateway.api.anthropic;

import dev.relay.gateway.Billing;
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
    private final Billing billing;

    WholeAnswer(Flight flight, MessagesRequest request, Billing billing) {
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

    /** An upstream error, its text cleaned of upstream details (relay.md §7). */
    void error(int status, MultiMap upstreamHeaders, Buffer payload) {
        Buffer sanitized;
        try {
            Object parsed = Json.decodeValue(payload);
            sanitized = parsed instanceof JsonObject json ? UpstreamErrorSanitizer.json(json).toBuffer() : payload;
        } catch (DecodeException e) {
            sanitized = Buffer.buffer(UpstreamErrorSanitizer.text(payload.toString()));
        }
        answerError(status, upstreamHeaders, sanitized);
    }

    /** relay's own answer in place of an upstream error (e.g. a dedicated account's rate limit), as the route sends it. */
    void refusal(int status, JsonObject body) {
        answerError(status, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), body.toBuffer());
    }

    private void answerError(int status, MultiMap upstreamHeaders, Buffer sanitized) {
        if (billing != null && !request.stream()) {
            // non-stream errors go through the route like a success (relay.md §6.3, fixture 10 console-429)
            send(status, upstreamHeaders, sanitized, false);
            return;
        }
        flight.exchange().finish();
        ClientAnswer.streamRequestError(flight.ctx().response(), status, sanitized);
    }
}
