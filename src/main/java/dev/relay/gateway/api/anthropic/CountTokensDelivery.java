package dev.relay.gateway.api.anthropic;

import dev.relay.account.Account;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.failure.RelayFailure;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.Flight;
import dev.relay.gateway.upstream.claude.ConsoleUpstream;
import dev.relay.scheduler.AccountSelection;
import dev.relay.store.LegacyClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/** {@code POST /v1/messages/count_tokens} answers from a Claude account (relay.md §5.6): never billed. */
final class CountTokensDelivery extends ClaudeDelivery {
    private final ConsoleUpstream upstream;

    CountTokensDelivery(Flight flight, MessagesRequest request, ClaudeAdmission admission, ConsoleUpstream upstream) {
        super(flight, request, admission, new WholeAnswer(flight, request, null), true);
        this.upstream = upstream;
    }

    /**
     * An account without count_tokens (404) is remembered with the legacy's flag, so later requests skip it, and
     * another account is asked; when none can count, the client is told so, never a made-up count
     * (docs/redis-compat.md).
     */
    @Override
    public Future<RelayFailure> declines(AccountSelection<Account> selection, int status) {
        if (status != 404 || !(selection.account() instanceof ClaudeConsoleAccount console)) {
            return Future.succeededFuture();
        }
        return upstream.markCountTokensUnavailable(console, LegacyClock.iso(Instant.now()))
                .otherwiseEmpty().map(v -> CountTokensUnsupported.failure());
    }

    @Override
    public void upstreamError(AccountSelection<Account> selection, int status, MultiMap headers,
            Buffer body) {
        if (status == 404 && selection.account() instanceof ClaudeConsoleAccount) {
            // no other account was left to ask
            flight.exchange().finish();
            ClientAnswer.error(flight.ctx(), CountTokensUnsupported.failure());
            return;
        }
        whole.error(status, headers, body);
    }
}
