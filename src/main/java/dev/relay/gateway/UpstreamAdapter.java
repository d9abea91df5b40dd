package dev.relay.gateway;

import dev.relay.account.Account;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import java.util.function.Consumer;

/**
 * An upstream plug-in (one per account platform): builds and authenticates the call for an account, says what an
 * answer means, and writes what the pipeline learned about the account in that platform's own Redis fields.
 *
 * @param <A> the platform's account type
 */
public interface UpstreamAdapter<A extends Account> {
    /**
     * Sends the flight's request to the account. Completes once the answer's status and headers arrived (its body
     * paused); {@code sending} gets the request as soon as it exists, so the pipeline can abort it.
     */
    Future<UpstreamCall> send(A account, Flight flight, Operation operation, Consumer<HttpClientRequest> sending);

    /** What an answer's status means for this attempt; the shared table unless the upstream knows better. */
    default Verdict classify(A account, int status) {
        return Verdict.ofStatus(status);
    }

    /**
     * As {@link #classify(Account, int)}, for an upstream whose verdict depends on the request too (e.g. a key's
     * dedicated account answers differently from a pooled one).
     */
    default Verdict classify(A account, int status, Flight flight) {
        return classify(account, status);
    }

    /** Writes the mark; completes (never fails) once the next request would see it. */
    Future<Void> mark(A account, AccountMark mark);

    /**
     * Writes the mark of an answer, knowing its headers (e.g. a rate limit's reset time) and the request (e.g. its
     * model's family); upstreams whose marks need neither keep {@link #mark(Account, AccountMark)}.
     */
    default Future<Void> mark(A account, AccountMark mark, MultiMap answerHeaders, Flight flight) {
        return mark(account, mark);
    }

    /** A success on the account: lifts marks it still carries. */
    void succeeded(A account);

    /** Records that the account was called now (the legacy's {@code lastUsedAt}, after every call). */
    void touch(A account, String lastUsedAt);
}
