package dev.relay.gateway;

import dev.relay.account.Account;
import dev.relay.failure.RelayFailure;
import dev.relay.scheduler.AccountSelection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The client API's side of one operation: what happens once an account is picked, and how the upstream's answer
 * reaches the client in the client's format (billing it where it is billed). A delivery that can pass a stream on
 * is also a {@link StreamingDelivery}.
 *
 * @param <A> the account type of the upstream the answer comes from
 */
public interface Delivery<A extends Account> {
    /** Before the call: answer locally, or let the request go on (possibly holding a permit). */
    Future<CallPermit> admit(AccountSelection<A> selection);

    /** A successful whole answer. */
    void whole(AccountSelection<A> selection, int status, MultiMap headers, Buffer body);

    /**
     * Whether an upstream error only says that this account cannot serve the operation (e.g. count_tokens not
     * found), not that the request failed: then the pipeline tries another account, and the result (written once
     * what must be remembered about the account is) answers when none is left. Null result: an ordinary error.
     */
    default Future<RelayFailure> declines(AccountSelection<A> selection, int status) {
        return Future.succeededFuture();
    }

    /** An upstream error answer that goes to the client (after its account was marked). */
    void upstreamError(AccountSelection<A> selection, int status, MultiMap headers, Buffer body);
}
