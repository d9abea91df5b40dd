package dev.relay.fake;

import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What the fake upstream has done and is doing, counted over all its event loops. */
final class UpstreamTraffic {
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong framesWritten = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger heldBack = new AtomicInteger();

    /** Counts one more request and returns its sequence number, 1 for the first. */
    long arrived() {
        return requests.incrementAndGet();
    }

    /** Counts the response as in flight until it has ended or its connection closed. */
    ServedResponse serve(HttpServerResponse response) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        return new ServedResponse(response, this);
    }

    void frameWritten() {
        framesWritten.incrementAndGet();
    }

    void left() {
        inFlight.decrementAndGet();
    }

    void heldBack(int delta) {
        heldBack.addAndGet(delta);
    }

    long requests() {
        return requests.get();
    }

    long framesWritten() {
        return framesWritten.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    int heldBack() {
        return heldBack.get();
    }

    /** Starts a new peak from the requests in flight now. */
    void resetPeak() {
        maxInFlight.set(inFlight.get());
    }
}
