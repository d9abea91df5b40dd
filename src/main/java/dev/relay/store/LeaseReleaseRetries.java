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
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Lease releases that failed (Redis down or not answering), tried again in order on a Vert.x timer with backoff
 * until one succeeds or the lease has expired anyway (then the lease sets ignore it and the sweep drops it). A
 * release is idempotent (ZREM of the member), so trying it twice is harmless. Bounded: past {@link #CAPACITY} the
 * oldest waiting release is given up. While releases wait, new releases queue behind them (one log line when
 * releases start failing, one when the queue has drained). While Redis fails only the oldest release probes it;
 * once Redis takes one (or reports that it answers again), up to {@link #BATCH} are sent at once.
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
    /** Releases sent at once after Redis answered the oldest one. */
    static final int BATCH = 200;
    private long backoffMs = FIRST_BACKOFF_MS;
    /** The last attempt failed: the next one only probes with the oldest release. */
    private boolean lastFailed = true;
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
            lastFailed = true;
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
        List<Pending> heads = new ArrayList<>();
        synchronized (this) {
            timer = -1;
            dropExpired();
            if (waiting.isEmpty() || closed) {
                return;
            }
            // while Redis fails only the oldest probes it; once it answers, up to BATCH go out together, in order
            int size = lastFailed ? 1 : BATCH;
            for (Pending p : waiting) {
                heads.add(p);
                if (heads.size() == size) {
                    break;
                }
            }
            attemptRunning = true;
        }
        List<Future<?>> outcomes = new ArrayList<>(heads.size());
        for (Pending head : heads) {
            Future<?> outcome;
            try {
                outcome = head.attempt().get();
            } catch (RuntimeException e) {
                outcome = Future.failedFuture(e);
            }
            outcomes.add(outcome);
        }
        Future.join(outcomes).onComplete(all -> attempted(heads, outcomes));
    }

    /** Redis answers again: try the waiting releases now rather than after the current backoff. */
    public synchronized void retryNow() {
        backoffMs = FIRST_BACKOFF_MS;
        if (timer != -1 && !attemptRunning) {
            vertx.cancelTimer(timer);
            timer = -1;
            attemptNow();
        }
    }

    private synchronized void attempted(List<Pending> heads, List<Future<?>> outcomes) {
        attemptRunning = false;
        boolean failed = false;
        for (int i = 0; i < heads.size(); i++) {
            Future<?> outcome = outcomes.get(i);
            if (outcome.failed() && !(outcome.cause() instanceof ErrorType)) {
                failed = true; // kept, tried again
                continue;
            }
            if (outcome.failed()) {
                refused.increment(); // an error reply: it would be refused again
            }
            waiting.remove(heads.get(i));
        }
        lastFailed = failed;
        if (failed) {
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
            schedule();
            return;
        }
        backoffMs = FIRST_BACKOFF_MS;
        if (waiting.isEmpty()) {
            LOG.info("lease releases drained: every failed release was applied or has expired");
            return;
        }
        attemptNow();
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
