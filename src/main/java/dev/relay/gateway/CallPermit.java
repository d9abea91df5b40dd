package dev.relay.gateway;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * What a client API's admission step decided once the account is known: the request was answered locally (no
 * upstream call), or it may go on, holding a permit that is given back once the upstream has the request.
 */
public final class CallPermit {
    private static final CallPermit ANSWERED = new CallPermit(true, null);
    private static final CallPermit FREE = new CallPermit(false, null);

    private final boolean answered;
    private Supplier<Future<Void>> release;

    private CallPermit(boolean answered, Supplier<Future<Void>> release) {
        this.answered = answered;
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
        return new CallPermit(false, release);
    }

    public boolean wasAnswered() {
        return answered;
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
