package dev.relay.gateway.api.anthropic;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.gateway.Billing;
import dev.relay.gateway.CallPermit;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.Flight;
import dev.relay.gateway.StreamPump;
import dev.relay.gateway.StreamingDelivery;
import dev.relay.gateway.UpstreamCall;
import dev.relay.gateway.upstream.claude.SseUsageTap;
import dev.relay.gateway.upstream.claude.UserMessageQueue;
import dev.relay.scheduler.AccountSelection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * {@code POST /v1/messages} answers from a Claude account: the stream passed through byte for byte (usage read on
 * the way), or the whole answer with the client's model; both billed once.
 */
final class MessagesDelivery implements StreamingDelivery<ClaudeConsoleAccount> {
    private final Flight flight;
    private final MessagesRequest request;
    private final ClaudeAdmission admission;
    private final Billing billing;
    private final Vertx vertx;
    private final WholeAnswer whole;

    MessagesDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, Billing billing,
            Vertx vertx) {
        this.flight = flight;
        this.request = request;
        this.admission = admission;
        this.billing = billing;
        this.vertx = vertx;
        this.whole = new WholeAnswer(flight, request, billing);
    }

    @Override
    public Future<CallPermit> admit(AccountSelection<ClaudeConsoleAccount> selection) {
        return admission.admit(flight, request, false, selection.account(), this::refused);
    }

    @Override
    public void stream(AccountSelection<ClaudeConsoleAccount> selection, UpstreamCall call) {
        new StreamPump(vertx, call.response(), flight.ctx().response(), new SseUsageTap(request.model()),
                AnthropicEvents::error, usage -> {
                    billing.bill(usage);
                    flight.exchange().finish();
                }).start();
    }

    @Override
    public void whole(AccountSelection<ClaudeConsoleAccount> selection, int status, MultiMap headers, Buffer body) {
        whole.send(status, headers, body, true);
    }

    @Override
    public void upstreamError(AccountSelection<ClaudeConsoleAccount> selection, int status, MultiMap headers,
            Buffer body) {
        whole.error(status, headers, body);
    }

    /** No turn for this account in time: the legacy's answer, as JSON or as an SSE error event. */
    private void refused(UserMessageQueue.Refused refused) {
        if (!request.stream()) {
            flight.exchange().finish();
            whole.send(refused.status(), refusalHeaders(refused), refused.body().toBuffer(), false);
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

    static MultiMap refusalHeaders(UserMessageQueue.Refused refused) {
        return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("x-user-message-queue-error", refused.type());
    }
}
