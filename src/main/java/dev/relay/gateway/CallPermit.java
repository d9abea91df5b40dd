package dev.relay.gateway;

import dev.relay.failure.RelayFailure;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * What a client API's admission step decided once the account is known: the request was answered locally (no
 * upstream call), the account cannot serve this operation (try another one), or it may go on, holding a permit
 * that is given back once the upstream has the request.
 */
public final class CallPermit {
    private static final CallPermit ANSWERED = new CallPermit(true, null, null);
    private static final CallPermit FREE = new CallPermit(false, null, null);

    private final boolean answered;
    private final RelayFailure declined;
    private Supplier<Future<Void>> release;

    private CallPermit(boolean answered, RelayFailure declined, Supplier<Future<Void>> release) {
        this.answered = answered;
        this.declined = declined;
        this.release = release;
    }

    /** The request was answered without the upstream; the flight is over. */
    public static CallPermit answered() {
        return ANSWERED;
    }

    /** Go on; nothing to give back. */
    public static CallPermit free() {
        return FREE;
    }

    /** Go on, holding something to give back (e.g. the account's user-message turn). */
    public static CallPermit holding(Supplier<Future<Void>> release) {
        return new CallPermit(false, null, release);
    }

    /**
     * This account cannot serve the operation (e.g. it has no count_tokens): the pipeline tries another account,
     * without a mark and without moving the session; {@code whenNoneCan} answers when no account is left.
     */
    public static CallPermit declined(RelayFailure whenNoneCan) {
        return new CallPermit(false, whenNoneCan, null);
    }

    public boolean wasAnswered() {
        return answered;
    }

    /** The answer for when no account can serve the operation, or null when this account was not declined. */
    public RelayFailure declined() {
        return declined;
    }

    public boolean holds() {
        return release != null;
    }

    /** Gives the permit back once; completes when it is back. */
    public synchronized Future<Void> release() {
        Supplier<Future<Void>> held = release;
        release = null;
        return held == null ? Future.succeededFuture() : held.get();
    }
}
