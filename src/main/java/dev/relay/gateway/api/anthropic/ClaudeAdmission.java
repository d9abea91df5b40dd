package dev.relay.gateway.api.anthropic;

import dev.relay.account.Account;
import dev.relay.account.CcrAccount;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.gateway.CallPermit;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.Flight;
import dev.relay.gateway.upstream.claude.UserMessageQueue;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happens between picking a Claude account and calling it: what the account's flags decide (count_tokens
 * known to be missing: another account, warmup interception: a local answer; relay.md §5.6 and §6.6), then the
 * account's user-message turn when the queue is on.
 */
@Singleton
public class ClaudeAdmission {
    private final UserMessageQueue userMessages;
    private final Vertx vertx;

    public ClaudeAdmission(UserMessageQueue userMessages, Vertx vertx) {
        this.userMessages = userMessages;
        this.vertx = vertx;
    }

    /**
     * @param refused answers a request that did not get its turn, in the delivery's format
     */
    Future<CallPermit> admit(Flight flight, MessagesRequest request, boolean countTokens,
            Account account, Consumer<UserMessageQueue.Refused> refused) {
        if (countTokens && (account instanceof CcrAccount
                || "true".equals(stored(account, "countTokensUnavailable")))) {
            // another account of the pool may count; when none can, the client counts itself
            return Future.succeededFuture(CallPermit.declined(CountTokensUnsupported.failure()));
        }
        if (!countTokens && "true".equals(stored(account, "interceptWarmup"))
                && WarmupReply.isWarmup(request.json())) {
            answerWarmup(flight, request);
            return Future.succeededFuture(CallPermit.answered());
        }
        HttpServerResponse response = flight.ctx().response();
        return userMessages.enter(account.id(), request.json(), () -> flight.exchange().finished()
                || response.closed()).map(turn -> turn == null ? CallPermit.free() : CallPermit.holding(turn::release))
                .recover(failure -> {
                    if (failure instanceof UserMessageQueue.Refused refusal) {
                        refused.accept(refusal);
                        return Future.succeededFuture(CallPermit.answered());
                    }
                    return Future.failedFuture(failure);
                });
    }

    /** A flag as the account stores it (Console and OAuth accounts keep these in their hash), else null. */
    private static String stored(Account account, String field) {
        if (account instanceof ClaudeConsoleAccount c) {
            return c.raw().get(field);
        }
        if (account instanceof ClaudeOAuthAccount o) {
            return o.raw().get(field);
        }
        return account instanceof CcrAccount c ? c.raw().get(field) : null;
    }

    /** A warmup/title request on an intercepting account: answered here, nothing billed (relay.md §6.6). */
    private void answerWarmup(Flight flight, MessagesRequest request) {
        HttpServerResponse response = flight.ctx().response();
        if (response.closed()) {
            flight.exchange().finish();
            return;
        }
        if (!request.stream()) {
            flight.exchange().finish();
            ClientAnswer.json(response, 200, WarmupReply.message(request.model()),
                    MultiMap.caseInsensitiveMultiMap());
            return;
        }
        ClientAnswer.openEventStream(response);
        sendWarmupEvents(flight, WarmupReply.streamEvents(request.model()), 0);
    }

    private void sendWarmupEvents(Flight flight, List<Buffer> events, int next) {
        HttpServerResponse response = flight.ctx().response();
        if (response.closed()) {
            flight.exchange().finish();
            return;
        }
        if (next >= events.size()) {
            flight.exchange().finish();
            response.end();
            return;
        }
        response.write(events.get(next));
        vertx.setTimer(WarmupReply.EVENT_GAP_MS, id -> sendWarmupEvents(flight, events, next + 1));
    }
}
