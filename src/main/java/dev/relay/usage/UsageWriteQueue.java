package dev.relay.usage;

import dev.relay.store.RedisStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes usage batches to Redis in order, each exactly once.
 *
 * <p><b>Group commit.</b> At most one pipeline is in flight; requests finishing meanwhile are merged into the next
 * batch (summed counters), up to {@link UsageBacklog#MAX_EVENTS} per batch ({@link UsageBacklog}). Each batch is
 * one atomic script call (its operations and its commit marker; {@link UsageTransaction}) in one round trip.
 * Without failures nothing touches the disk.
 *
 * <p><b>Failures.</b> A batch whose pipeline fails (or has not answered after {@link UsageWriteTuning#stallMs})
 * stays frozen at the head: never merged into, retried with backoff ({@link UsageWriteTuning#firstRetryMs} doubling
 * up to {@link UsageWriteTuning#maxRetryMs}) on Vert.x timers, each retry first reading its commit marker
 * ({@link UsageCommitMarker}) so that a batch that did land is not applied twice. While the head fails, the queue
 * is in outage mode ({@link UsageOutageSpooler}): the head and every batch behind it are spooled
 * ({@link UsageSpool}), one write at a time in queue order; requests arriving during a write merge into the next
 * batch. Spooled batches leave memory and are read back when their turn comes. A batch is deleted from the spool
 * once applied. If the spool cannot be written the batch stays in memory, up to
 * {@link UsageWriteTuning#maxMemoryEvents} events; beyond that usage is dropped with an ERROR.
 *
 * <p><b>The caller's future</b> completes when the usage is applied. It fails with {@link UsageDeferred} as soon
 * as the usage has to wait for a failing Redis: at the first failed (or stalled) attempt of its batch, or, for a
 * batch formed behind a failing one, once that batch is spooled. It fails with another exception only when the
 * usage is lost: dropped at the memory limit or refused by Redis for good (then kept in the spool's
 * {@code rejected/} folder).
 *
 * <p><b>Start and stop.</b> {@link #start} claims the batches spooled by ended processes and replays them before
 * anything else; {@link #close} waits briefly for the queue to drain, then spools whatever is left.
 */
final class UsageWriteQueue {
    private static final Logger LOG = Logger.getLogger(UsageWriteQueue.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RedisStore redis;
    private final Vertx vertx;
    private final UsageTransaction transaction;
    private final UsageSpoolWorker spool;
    private final UsageWriteMetrics metrics;
    private final UsageWriteTuning tuning;
    private final String instanceId;

    // all guarded by this
    private final UsageBacklog backlog;
    private final UsageOutageSpooler outage;
    private boolean started;
    private boolean writing;
    private boolean closed;
    private long retryDelayMs;
    private long retryTimer = -1;
    private int attempt;

    UsageWriteQueue(RedisStore redis, Vertx vertx, UsageTransaction transaction, Path spoolDir,
            UsageWriteMetrics metrics, UsageWriteTuning tuning) {
        this.redis = redis;
        this.vertx = vertx;
        this.transaction = transaction;
        this.instanceId = String.format("%016x", RANDOM.nextLong());
        this.spool = new UsageSpoolWorker(new UsageSpool(spoolDir, instanceId), vertx);
        this.metrics = metrics;
        this.tuning = tuning;
        this.retryDelayMs = tuning.firstRetryMs();
        this.backlog = new UsageBacklog(instanceId, tuning.maxMemoryEvents());
        this.outage = new UsageOutageSpooler(this, backlog, spool, metrics, tuning.spoolLingerMs(), vertx);
    }

    String instanceId() {
        return instanceId;
    }

    /** Opens the spool and replays what ended processes left there; writing starts once that is known. */
    void start() {
        spool.open().onSuccess(orphans -> {
            long events;
            boolean write;
            synchronized (this) {
                events = backlog.replayFirst(orphans);
                started = true;
                write = startWriting();
            }
            metrics.pending(events);
            if (!orphans.isEmpty()) {
                LOG.infof("replaying %d spooled usage batch(es) of earlier processes (%d requests) from %s",
                        orphans.size(), events, spool.dir());
            }
            if (write) {
                writeHead();
            }
        });
    }

    Future<Void> submit(UsageWrites writes) {
        Promise<Void> done = Promise.promise();
        int events = writes.events();
        boolean write;
        boolean spoolNow;
        long inMemory;
        synchronized (this) {
            inMemory = backlog.memoryEvents();
            if (closed) {
                done.fail(new IllegalStateException("usage recorder closed: usage of a request finishing during "
                        + "shutdown is lost"));
                LOG.errorf("usage of %d request(s) lost: it finished after the usage recorder was closed", events);
                return done.future();
            }
            if (backlog.full(events)) {
                write = false;
                spoolNow = false;
            } else {
                backlog.add(writes, done);
                inMemory = -1;
                write = startWriting();
                spoolNow = outage.claim();
            }
        }
        if (inMemory >= 0) {
            metrics.failure(UsageWriteMetrics.DROPPED, events);
            String message = String.format("usage of %d request(s) dropped: the usage of %d requests already "
                    + "waits in memory (limit %d) because Redis does not take it and the spool %s cannot", events,
                    inMemory, tuning.maxMemoryEvents(), spool.dir());
            LOG.error(message);
            done.fail(new IllegalStateException(message));
            return done.future();
        }
        metrics.pending(events);
        if (write) {
            writeHead();
        }
        if (spoolNow) {
            outage.spoolNext();
        }
        return done.future();
    }

    /**
     * Waits up to {@link UsageWriteTuning#drainMs} for the queue to drain while Redis answers, then spools
     * (blocking, on the calling thread) every batch not on disk yet and releases the spool. A batch still in flight
     * may be both applied and spooled: its replay then finds its commit marker.
     */
    void close() {
        List<UsageBatch> unsaved;
        synchronized (this) {
            long deadline = System.currentTimeMillis() + tuning.drainMs();
            while (started && !backlog.isEmpty() && !outage.active() && System.currentTimeMillis() < deadline) {
                try {
                    wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            outage.stop();
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
            }
            unsaved = backlog.unsaved();
        }
        for (UsageBatch batch : unsaved) {
            if (spool.writeNow(batch)) {
                boolean applied;
                synchronized (this) {
                    batch.disk = UsageBatch.Disk.WRITTEN;
                    applied = batch.done;
                }
                if (applied) {
                    spool.removeNow(batch);
                }
            }
        }
        if (!unsaved.isEmpty()) {
            LOG.warnf("shutdown: %d usage batch(es) not confirmed by Redis were spooled to %s for the next start",
                    unsaved.size(), spool.dir());
        }
        spool.close();
    }

    private boolean startWriting() {
        if (started && !writing && !closed && !backlog.isEmpty()) {
            writing = true;
            return true;
        }
        return false;
    }

    private void writeHead() {
        UsageBatch head;
        synchronized (this) {
            retryTimer = -1;
            head = closed ? null : backlog.head();
            if (head == null) {
                writing = false;
                return;
            }
            head.sealed = true;
        }
        if (head.writes != null) {
            attempt(head);
            return;
        }
        spool.read(head).onComplete(ar -> {
            if (ar.succeeded()) {
                synchronized (this) {
                    head.writes = ar.result();
                }
                attempt(head);
            } else {
                unreadable(head, ar.cause());
            }
        });
    }

    private void attempt(UsageBatch head) {
        int mine;
        boolean check;
        synchronized (this) {
            mine = ++attempt;
            check = head.mayBeApplied;
            head.mayBeApplied = true;
        }
        long stallTimer = vertx.setTimer(tuning.stallMs(), id -> stalled(head, mine));
        Future<List<String>> outcome;
        try {
            outcome = transaction.applyOnce(redis, head.writes, head.instanceId, head.seq, check);
        } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
        }
        outcome.onComplete(ar -> finished(head, ar, stallTimer));
    }

    /** {@code ar}'s result: the commands Redis refused inside the script; null when an earlier attempt landed. */
    private void finished(UsageBatch head, AsyncResult<List<String>> ar, long stallTimer) {
        vertx.cancelTimer(stallTimer);
        if (ar.succeeded()) {
            applied(head, ar.result());
        } else if (ar.cause() instanceof UsageTransaction.Malformed || UsageTransaction.refusedForGood(ar.cause())) {
            rejected(head, ar.cause());
        } else {
            failed(head, ar.cause());
        }
    }

    private void applied(UsageBatch head, List<String> refused) {
        List<Promise<Void>> waiting;
        boolean recovered;
        boolean removeFile;
        boolean write;
        synchronized (this) {
            removeFile = head.disk == UsageBatch.Disk.WRITTEN;
            recovered = outage.active();
            waiting = finish(head, true);
            write = startWriting();
        }
        if (refused == null) {
            LOG.infof("usage batch %s had been applied before its outcome was lost (commit marker); not re-sent",
                    head.name());
        } else if (!refused.isEmpty()) {
            metrics.failure(UsageWriteMetrics.COMMAND, refused.size());
            String shown = String.join("; ", refused.subList(0, Math.min(10, refused.size())))
                    + (refused.size() > 10 ? "; …" : "");
            LOG.errorf("usage batch %s applied, but Redis refused %d of its commands (left as they are, not retried):"
                    + " %s", head.name(), refused.size(), shown);
        }
        if (recovered) {
            LOG.infof("usage writes to Redis work again; %d request(s) still waiting", metrics.pending());
        }
        if (removeFile) {
            spool.remove(head);
        }
        waiting.forEach(Promise::tryComplete);
        if (write) {
            writeHead();
        }
    }

    private void failed(UsageBatch head, Throwable cause) {
        long delay;
        boolean spoolNow;
        boolean closed;
        boolean alreadyFailing;
        long pending;
        synchronized (this) {
            closed = this.closed;
            delay = retryDelayMs;
            retryDelayMs = Math.min(retryDelayMs * 2, tuning.maxRetryMs());
            if (closed) {
                writing = false;
            } else {
                retryTimer = vertx.setTimer(delay, id -> writeHead());
            }
            alreadyFailing = outage.active();
            spoolNow = outage.begin();
            pending = metrics.pending();
        }
        metrics.failure(UsageWriteMetrics.UNAVAILABLE, 1);
        // one WARN per outage; the retries that follow it are DEBUG
        LOG.logf(alreadyFailing ? org.jboss.logging.Logger.Level.DEBUG : org.jboss.logging.Logger.Level.WARN,
                "usage batch %s (%d requests) not written to Redis (%s); %s, %d request(s) waiting", head.name(),
                head.events, UsageTransaction.brief(cause),
                closed ? "left to the next start" : "retry in " + delay + " ms", pending);
        outage.defer(head, cause);
        if (spoolNow) {
            outage.spoolNext();
        }
    }

    /** No answer for a while: spool and defer as for a failure, but never resend while the pipeline may land. */
    private void stalled(UsageBatch head, int mine) {
        boolean spoolNow;
        synchronized (this) {
            if (head.done || mine != attempt || outage.active()) {
                return;
            }
            spoolNow = outage.begin();
        }
        metrics.failure(UsageWriteMetrics.UNAVAILABLE, 1);
        LOG.warnf("usage batch %s: no answer from Redis for %d ms; spooling usage until it answers", head.name(),
                tuning.stallMs());
        outage.defer(head, new IllegalStateException("no answer from Redis"));
        if (spoolNow) {
            outage.spoolNext();
        }
    }

    /** Redis will never run this batch: it is kept aside in the spool's {@code rejected/} folder. */
    private void rejected(UsageBatch head, Throwable cause) {
        String why = UsageTransaction.brief(cause);
        spool.reject(head, head.writes, why);
        giveUp(head, true, UsageWriteMetrics.REJECTED, new IllegalStateException("usage refused by Redis: " + why,
                cause));
    }

    private void unreadable(UsageBatch head, Throwable cause) {
        spool.quarantine(head, cause);
        giveUp(head, false, UsageWriteMetrics.SPOOL, new IllegalStateException("spooled usage unreadable", cause));
    }

    /** The head's usage is lost (kept aside for an operator); the next batch gets its turn. */
    private void giveUp(UsageBatch head, boolean redisAnswered, String reason, IllegalStateException lost) {
        List<Promise<Void>> waiting;
        boolean write;
        synchronized (this) {
            waiting = finish(head, redisAnswered);
            write = startWriting();
        }
        metrics.failure(reason, 1);
        waiting.forEach(p -> p.tryFail(lost));
        if (write) {
            writeHead();
        }
    }

    /**
     * Takes the head off the queue and ends its writing; when Redis answered, the outage (if any) is over. Returns
     * who waits for the head. Caller holds the lock.
     */
    private List<Promise<Void>> finish(UsageBatch head, boolean redisAnswered) {
        List<Promise<Void>> waiting = backlog.finish(head);
        metrics.pending(-head.events);
        if (redisAnswered) {
            outage.end();
            retryDelayMs = tuning.firstRetryMs();
        }
        writing = false;
        notifyAll();
        return waiting;
    }
}
