package dev.relay.gateway.api.anthropic;

import dev.relay.account.Account;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.failure.RelayFailure;
import dev.relay.gateway.upstream.claude.OAuthMarks;
import dev.relay.gateway.upstream.claude.OAuthUpstream;
import dev.relay.scheduler.DedicatedRefusal;
import dev.relay.scheduler.ModelFamily;
import dev.relay.store.LegacyClock;
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
final class MessagesDelivery extends ClaudeDelivery implements StreamingDelivery<Account> {
    private final AttributedBill billing;
    private final ClientDisconnects disconnects;
    private final Vertx vertx;
    private final LegacyClock legacyClock;

    MessagesDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, AttributedBill billing,
            ClientDisconnects disconnects, Vertx vertx, LegacyClock legacyClock) {
        super(flight, request, admission, new WholeAnswer(flight, request, billing), false);
        this.billing = billing;
        this.disconnects = disconnects;
        this.vertx = vertx;
        this.legacyClock = legacyClock;
    }

    @Override
    public void stream(AccountSelection<Account> selection, UpstreamCall call) {
        StreamPump pump = new StreamPump(vertx, call.response(), flight.ctx().response(),
                new SseUsageTap(request.model()), AnthropicEvents::error, usage -> {
                    billing.bill(usage);
                    flight.exchange().finish();
                }, disconnects);
        InFlightRequests.whenCut(flight.ctx(), () -> pump.cut("Server is shutting down; the stream was ended early"));
        pump.start();
    }

    /** A key's dedicated OAuth account that answers 429 gets the legacy's 403 (relay.md §7.1, fixture 10 oauth-429). */
    @Override
    public void upstreamError(AccountSelection<Account> selection, int status, MultiMap headers,
            Buffer body) {
        if (status == 429 && selection.account() instanceof ClaudeOAuthAccount oauth
                && oauth.id().equals(flight.key().key().claudeAccountId())) {
            String model = flight.request().schedulingModel();
            RelayFailure refusal = OAuthMarks.familyLimited(headers, model) != null && "opus".equals(ModelFamily.of(model))
                    ? DedicatedRefusal.opusLimited(OAuthUpstream.resetOf(headers), legacyClock)
                    : DedicatedRefusal.rateLimited(OAuthUpstream.resetOf(headers), legacyClock);
            whole.refusal(refusal.status(), refusal.body());
            return;
        }
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
