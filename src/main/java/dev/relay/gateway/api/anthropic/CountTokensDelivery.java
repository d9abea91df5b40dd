package dev.relay.gateway.api.anthropic;

import dev.relay.account.Account;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.Flight;
import dev.relay.gateway.upstream.claude.ConsoleUpstream;
import dev.relay.scheduler.AccountSelection;
import dev.relay.store.LegacyClock;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** {@code POST /v1/messages/count_tokens} answers from a Claude account (relay.md §5.6): never billed. */
final class CountTokensDelivery extends ClaudeDelivery {
    private final ConsoleUpstream upstream;

    CountTokensDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, ConsoleUpstream upstream) {
        super(flight, request, admission, new WholeAnswer(flight, request, null), true);
        this.upstream = upstream;
    }

    /** An account without count_tokens is remembered, and the client told zero (the legacy's answer). */
    @Override
    public void upstreamError(AccountSelection<Account> selection, int status, MultiMap headers,
            Buffer body) {
        if (status == 404 && selection.account() instanceof ClaudeConsoleAccount console) {
            upstream.markCountTokensUnavailable(console, LegacyClock.iso(Instant.now()));
            flight.exchange().finish();
            ClientAnswer.json(flight.ctx().response(), 200, new JsonObject().put("input_tokens", 0),
                    MultiMap.caseInsensitiveMultiMap());
            return;
        }
        whole.error(status, headers, body);
    }
}
