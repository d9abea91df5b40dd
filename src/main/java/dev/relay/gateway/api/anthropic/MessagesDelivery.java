package dev.relay.gateway.api.anthropic;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.ClientDisconnects;
import dev.relay.gateway.Flight;
import dev.relay.gateway.InFlightRequests;
import dev.relay.gateway.StreamPump;
import dev.relay.gateway.StreamingDelivery;
import dev.relay.gateway.UpstreamCall;
import dev.relay.gateway.upstream.claude.SseUsageTap;
import dev.relay.gateway.upstream.claude.UserMessageQueue;
import dev.relay.scheduler.AccountSelection;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/messages} answers from a Claude account: the stream passed through byte for byte (usage read on
 * the way), or the whole answer with the client's model; both billed once.
 */
final class MessagesDelivery extends ClaudeDelivery implements StreamingDelivery<ClaudeConsoleAccount> {
    private final AttributedBill billing;
    private final ClientDisconnects disconnects;
    private final Vertx vertx;

    MessagesDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, AttributedBill billing,
            ClientDisconnects disconnects, Vertx vertx) {
        super(flight, request, admission, new WholeAnswer(flight, request, billing), false);
        this.billing = billing;
        this.disconnects = disconnects;
        this.vertx = vertx;
    }

    @Override
    public void stream(AccountSelection<ClaudeConsoleAccount> selection, UpstreamCall call) {
        StreamPump pump = new StreamPump(vertx, call.response(), flight.ctx().response(),
                new SseUsageTap(request.model()), AnthropicEvents::error, usage -> {
                    billing.bill(usage);
                    flight.exchange().finish();
                }, disconnects);
        InFlightRequests.whenCut(flight.ctx(), () -> pump.cut("Server is shutting down; the stream was ended early"));
        pump.start();
    }

    @Override
    public void upstreamError(AccountSelection<ClaudeConsoleAccount> selection, int status, MultiMap headers,
            Buffer body) {
        whole.error(status, headers, body);
    }

    /** A stream request gets the refusal as an SSE error event. */
    @Override
    void refused(UserMessageQueue.Refused refused) {
        if (!request.stream()) {
            super.refused(refused);
            return;
        }
        flight.exchange().finish();
        HttpServerResponse response = flight.ctx().response();
        if (response.closed()) {
            return;
        }
        response.setStatusCode(refused.status()).putHeader("x-user-message-queue-error", refused.type());
        ClientAnswer.openEventStream(response);
        response.end(Buffer.buffer("event: error\ndata: " + refused.body().encode() + "\n\ndata: [DONE]\n\n"));
    }
}
