package dev.relay.gateway.api.anthropic;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.gateway.CallPermit;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.Delivery;
import dev.relay.gateway.Flight;
import dev.relay.gateway.upstream.claude.ConsoleUpstream;
import dev.relay.gateway.upstream.claude.UserMessageQueue;
import dev.relay.scheduler.AccountSelection;
import dev.relay.store.LegacyClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** {@code POST /v1/messages/count_tokens} answers from a Claude account (relay.md §5.6): never billed. */
final class CountTokensDelivery implements Delivery<ClaudeConsoleAccount> {
    private final Flight flight;
    private final MessagesRequest request;
    private final ClaudeAdmission admission;
    private final ConsoleUpstream upstream;
    private final WholeAnswer whole;

    CountTokensDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, ConsoleUpstream upstream) {
        this.flight = flight;
        this.request = request;
        this.admission = admission;
        this.upstream = upstream;
        this.whole = new WholeAnswer(flight, request, null);
    }

    @Override
    public Future<CallPermit> admit(AccountSelection<ClaudeConsoleAccount> selection) {
        return admission.admit(flight, request, true, selection.account(), refused -> {
            flight.exchange().finish();
            whole.send(refused.status(), MessagesDelivery.refusalHeaders(refused), refused.body().toBuffer(), false);
        });
    }

    @Override
    public void whole(AccountSelection<ClaudeConsoleAccount> selection, int status, MultiMap headers, Buffer body) {
        whole.send(status, headers, body, true);
    }

    /** An account without count_tokens is remembered, and the client told zero (the legacy's answer). */
    @Override
    public void upstreamError(AccountSelection<ClaudeConsoleAccount> selection, int status, MultiMap headers,
            Buffer body) {
        if (status == 404) {
            upstream.markCountTokensUnavailable(selection.account(), LegacyClock.iso(Instant.now()));
            flight.exchange().finish();
            ClientAnswer.json(flight.ctx().response(), 200, new JsonObject().put("input_tokens", 0),
                    MultiMap.caseInsensitiveMultiMap());
            return;
        }
        whole.error(status, headers, body);
    }
}
