package dev.relay.usage;

import io.vertx.core.AsyncResult;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The outage mode of a {@link UsageWriteQueue}: while its head fails, every batch not on disk yet is spooled, one
 * write at a time in commit order, and the requests waiting for a batch learn that their usage is deferred.
 *
 * <p>Shares the queue's lock: {@link #active}, {@link #begin}, {@link #end}, {@link #claim} and {@link #stop} are
 * called with it held and return what the caller must start once it is released; the others take it themselves.
 */
final class UsageOutageSpooler {
    private static final Logger LOG = Logger.getLogger(UsageWriteQueue.class);

    private final Object lock;
    private final UsageBacklog backlog;
    private final UsageSpoolWorker spool;
    private final UsageWriteMetrics metrics;
    private final long lingerMs;
    private final Vertx vertx;

    // guarded by lock
    private boolean active;
    private boolean spooling;
    private boolean stopped;

    UsageOutageSpooler(Object lock, UsageBacklog backlog, UsageSpoolWorker spool, UsageWriteMetrics metrics,
            long lingerMs, Vertx vertx) {
        this.lock = lock;
        this.backlog = backlog;
        this.spool = spool;
        this.metrics = metrics;
        this.lingerMs = lingerMs;
        this.vertx = vertx;
    }

    boolean active() {
        return active;
    }

    /** Redis failed or stalled: the outage begins or goes on. True: call {@link #spoolNext}. */
    boolean begin() {
        active = true;
        return claim();
    }

    /** Redis answered; true when that ended an outage. */
    boolean end() {
        boolean was = active;
        active = false;
        return was;
    }

    /** True when a batch waits to be spooled and nobody spools: the caller must call {@link #spoolNext}. */
    boolean claim() {
        if (active && !spooling && !stopped && backlog.nextToSpool() != null) {
            spooling = true;
            return true;
        }
        return false;
    }

    /** At shutdown: nothing more is spooled in order (the queue saves the rest itself). */
    void stop() {
        stopped = true;
    }

    /**
     * Spools the oldest batch not on disk yet; the queue's batches reach the disk in order, one at a time. The
     * open batch at the tail first collects requests for {@link UsageWriteTuning#spoolLingerMs}.
     */
    void spoolNext() {
        UsageBatch batch;
        UsageWrites writes;
        long linger;
        synchronized (lock) {
            batch = active && !stopped ? backlog.nextToSpool() : null;
            if (batch == null) {
                spooling = false;
                return;
            }
            linger = lingerMs - (System.nanoTime() - batch.formedAt) / 1_000_000;
            writes = backlog.open(batch) && linger > 0 ? null : backlog.spooling(batch);
        }
        if (writes == null) {
            vertx.setTimer(linger, id -> spoolNext());
            return;
        }
        spool.write(batch, writes).onComplete(ar -> spooled(batch, ar));
    }

    private void spooled(UsageBatch batch, AsyncResult<?> ar) {
        boolean removeFile;
        boolean deferNow;
        synchronized (lock) {
            backlog.spooled(batch, ar.succeeded());
            removeFile = batch.done && ar.succeeded();
            deferNow = !batch.done && active;
        }
        if (ar.failed()) {
            metrics.failure(UsageWriteMetrics.SPOOL, 1);
            LOG.errorf("usage batch %s (%d requests) cannot be spooled to %s (%s); kept in memory only",
                    batch.name(), batch.events, spool.dir(), ar.cause().toString());
        }
        if (removeFile) {
            spool.remove(batch);
        }
        if (deferNow) {
            defer(batch, null);
        }
        spoolNext();
    }

    /** Fails the futures of the batch's requests with {@link UsageDeferred}: their usage waits, it is not lost. */
    void defer(UsageBatch batch, Throwable cause) {
        List<Promise<Void>> waiting;
        UsageBatch.Disk disk;
        synchronized (lock) {
            waiting = new ArrayList<>(batch.waiting);
            disk = batch.disk;
        }
        UsageDeferred deferred = new UsageDeferred("usage not in Redis yet (batch " + batch.name() + ", Redis "
                + "failing); " + spool.whereWaiting(batch, disk) + ", will be retried", cause);
        waiting.forEach(p -> p.tryFail(deferred));
    }
}
