package dev.relay.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Lease releases that failed (Redis down or not answering), tried again in order on a Vert.x timer with backoff
 * until one succeeds or the lease has expired anyway (then the lease sets ignore it and the sweep drops it). A
 * release is idempotent (ZREM of the member), so trying it twice is harmless. Bounded: past {@link #CAPACITY} the
 * oldest waiting release is given up. While releases wait, new releases queue behind them (one log line when
 * releases start failing, one when the queue has drained).
 */
@Singleton
public class LeaseReleaseRetries {
    static final String WAITING = "relay_lease_releases_waiting";
    static final String GIVEN_UP = "relay_lease_releases_given_up_total";
    /** The lease expired before Redis took the release. */
    static final String EXPIRED = "expired";
    /** The queue was full. */
    static final String OVERFLOW = "overflow";
    /** Redis answered the release with an error: trying again would not change that. */
    static final String REFUSED = "refused";

    private static final Logger LOG = Logger.getLogger(LeaseReleaseRetries.class);
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_BACKOFF_MS = 2_000;
    /** Far above what an outage leaves behind (one per request in flight); 10k records are well under 2 MB. */
    static final int CAPACITY = 10_000;

    private final Vertx vertx;
    private final Clock clock;
    private final int capacity;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private final Counter expired;
    private final Counter overflow;
    private final Counter refused;
    private long backoffMs = FIRST_BACKOFF_MS;
    private boolean attemptRunning;
    private long timer = -1;
    private boolean closed;

    /** One release to try again; {@code expiresAtMillis} is when the lease would end on its own. */
    record Pending(String leasesKey, String member, long expiresAtMillis, Supplier<Future<?>> attempt) {
    }

    @Inject
    public LeaseReleaseRetries(Vertx vertx, MeterRegistry meters) {
        this(vertx, Clock.systemUTC(), meters, CAPACITY);
    }

    public LeaseReleaseRetries(Vertx vertx, Clock clock, MeterRegistry meters, int capacity) {
        this.vertx = vertx;
        this.clock = clock;
        this.capacity = capacity;
        Gauge.builder(WAITING, this, LeaseReleaseRetries::waiting)
                .description("Lease releases that failed and wait to be tried again")
                .register(meters);
        this.expired = givenUp(meters, EXPIRED);
        this.overflow = givenUp(meters, OVERFLOW);
        this.refused = givenUp(meters, REFUSED);
    }

    private static Counter givenUp(MeterRegistry meters, String reason) {
        return Counter.builder(GIVEN_UP).tag("reason", reason)
                .description("Lease releases not retried any more (the lease expires on its own)")
                .register(meters);
    }

    public synchronized int waiting() {
        return waiting.size();
    }

    /** True while releases wait: a new release then queues behind them instead of going first. */
    synchronized boolean queueing() {
        return !waiting.isEmpty();
    }

    /** Queues a release that failed or must wait its turn. */
    synchronized void add(Pending release, Throwable cause) {
        if (closed) {
            return;
        }
        if (cause instanceof ErrorType) {
            refused.increment();
            LOG.warnf("Redis refused a lease release in %s, left to expire: %s", release.leasesKey(),
                    cause.getMessage());
            return;
        }
        if (waiting.isEmpty() && cause != null) {
            LOG.warnf("lease releases are failing (%s); retrying them until Redis takes them", cause.getMessage());
        }
        if (waiting.size() >= capacity) {
            waiting.pollFirst();
            overflow.increment();
        }
        waiting.addLast(release);
        schedule();
    }

    private void schedule() {
        if (timer == -1 && !attemptRunning && !waiting.isEmpty() && !closed) {
            timer = vertx.setTimer(backoffMs, id -> attempt());
        }
    }

    private void attempt() {
        Pending head;
        synchronized (this) {
            timer = -1;
            dropExpired();
            head = waiting.peekFirst();
            if (head == null || closed) {
                return;
            }
            attemptRunning = true;
        }
        Future<?> outcome;
        try {
            outcome = head.attempt().get();
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(done -> attempted(head, done.failed() ? done.cause() : null));
    }

    private synchronized void attempted(Pending head, Throwable failure) {
        attemptRunning = false;
        if (failure == null || failure instanceof ErrorType) {
            if (failure != null) {
                refused.increment();
            }
            waiting.remove(head);
            backoffMs = FIRST_BACKOFF_MS;
            if (waiting.isEmpty()) {
                LOG.info("lease releases drained: every failed release was applied or has expired");
                return;
            }
            attemptNow();
            return;
        }
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        schedule();
    }

    private void attemptNow() {
        if (timer == -1 && !closed) {
            timer = vertx.setTimer(1, id -> attempt());
        }
    }

    private void dropExpired() {
        long now = clock.millis();
        boolean dropped = waiting.removeIf(p -> p.expiresAtMillis() <= now && countExpired());
        if (dropped && waiting.isEmpty() && !attemptRunning) {
            LOG.info("lease releases drained: the leases still waiting have expired");
        }
    }

    private boolean countExpired() {
        expired.increment();
        return true;
    }

    /** Stops retrying; what still waits expires on its own. */
    @PreDestroy
    public synchronized void close() {
        closed = true;
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
