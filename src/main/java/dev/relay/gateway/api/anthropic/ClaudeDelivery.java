package dev.relay.gateway.api.anthropic;

import dev.relay.account.Account;
import dev.relay.gateway.CallPermit;
import dev.relay.gateway.Delivery;
import dev.relay.gateway.Flight;
import dev.relay.gateway.upstream.claude.UserMessageQueue;
import dev.relay.scheduler.AccountSelection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** What the Anthropic API's two operations share once a Claude account is picked: admission and whole answers. */
abstract class ClaudeDelivery implements Delivery<Account> {
    protected final Flight flight;
    protected final MessagesRequest request;
    protected final WholeAnswer whole;
    private final ClaudeAdmission admission;
    private final boolean countTokens;

    ClaudeDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, WholeAnswer whole,
            boolean countTokens) {
        this.flight = flight;
        this.request = request;
        this.admission = admission;
        this.whole = whole;
        this.countTokens = countTokens;
    }

    @Override
    public Future<CallPermit> admit(AccountSelection<Account> selection) {
        return admission.admit(flight, request, countTokens, selection.account(), this::refused);
    }

    @Override
    public void whole(AccountSelection<Account> selection, int status, MultiMap headers, Buffer body) {
        whole.send(status, headers, body, true);
    }

    /** No turn for this account in time: the legacy's JSON answer. */
    void refused(UserMessageQueue.Refused refused) {
        flight.exchange().finish();
        whole.send(refused.status(), MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                .add("x-user-message-queue-error", refused.type()), refused.body().toBuffer(), false);
    }
}
