package dev.relay.usage;

import dev.relay.store.RedisStore;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes usage batches to Redis in order, each exactly once.
 *
 * <p><b>Group commit.</b> At most one pipeline is in flight; requests finishing meanwhile are merged into the next
 * batch (summed counters), up to {@link #MAX_EVENTS} per batch. Each batch is one atomic script call (its
 * operations and its commit marker; {@link UsageTransaction}) in one round trip. Without failures nothing touches
 * the disk.
 *
 * <p><b>Failures.</b> A batch whose pipeline fails (or has not answered after {@link Tuning#stallMs}) stays frozen
 * at the head: never merged into, retried with backoff ({@link Tuning#firstRetryMs} doubling up to
 * {@link Tuning#maxRetryMs}) on Vert.x timers, each retry first reading its commit marker
 * ({@link UsageCommitMarker}) so that a batch that did land is not applied twice. While the head fails, the queue
 * is in outage mode: the head and every batch behind it are spooled ({@link UsageSpool}), one write at a time in
 * queue order; requests arriving during a write merge into the next batch. Spooled batches leave memory and are
 * read back when their turn comes. A batch is deleted from the spool once applied. If the spool cannot be
 * written the batch stays in memory, up to {@link Tuning#maxMemoryEvents} events; beyond that usage is dropped
 * with an ERROR.
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
    static final int MAX_EVENTS = 512;
    /**
     * Events held in memory only (not yet or not spoolable): beyond this, usage is dropped. A waiting request takes
     * 1.5 to 18 KB of heap (merged with others of its key, or alone), so 10,000 stay within a 160 MB heap.
     */
    static final int MAX_MEMORY_EVENTS = 10_000;
    private static final Logger LOG = Logger.getLogger(UsageWriteQueue.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Retry backoff; how long without an answer counts as a failure; the in-memory limit; how long {@link #close}
     * waits for the queue to drain; how long a batch collects requests before it is spooled (fewer, larger files).
     */
    record Tuning(long firstRetryMs, long maxRetryMs, long stallMs, int maxMemoryEvents, long drainMs,
            long spoolLingerMs) {
        static final Tuning DEFAULT = new Tuning(250, 30_000, 5_000, MAX_MEMORY_EVENTS, 3_000, 100);

        Tuning withRetries(long firstMs, long maxMs) {
            return new Tuning(firstMs, maxMs, stallMs, maxMemoryEvents, drainMs, spoolLingerMs);
        }

        Tuning withStallMs(long ms) {
            return new Tuning(firstRetryMs, maxRetryMs, ms, maxMemoryEvents, drainMs, spoolLingerMs);
        }

        Tuning withMaxMemoryEvents(int events) {
            return new Tuning(firstRetryMs, maxRetryMs, stallMs, events, drainMs, spoolLingerMs);
        }

        Tuning withDrainMs(long ms) {
            return new Tuning(firstRetryMs, maxRetryMs, stallMs, maxMemoryEvents, ms, spoolLingerMs);
        }

        Tuning withSpoolLingerMs(long ms) {
            return new Tuning(firstRetryMs, maxRetryMs, stallMs, maxMemoryEvents, drainMs, ms);
        }
    }

    private final RedisStore redis;
    private final Vertx vertx;
    private final UsageTransaction transaction;
    private final UsageSpool spool;
    private final UsageWriteMetrics metrics;
    private final Tuning tuning;
    private final String instanceId;

    // all guarded by this
    private final Deque<UsageBatch> queued = new ArrayDeque<>();
    /** The batches of {@link #queued} not on disk yet, in the same order. */
    private final Deque<UsageBatch> unspooled = new ArrayDeque<>();
    private long nextSeq = 1;
    private long memoryEvents;
    private boolean started;
    private boolean writing;
    private boolean failing;
    private boolean spooling;
    private boolean closed;
    private long retryDelayMs;
    private long retryTimer = -1;
    private int attempt;

    UsageWriteQueue(RedisStore redis, Vertx vertx, UsageTransaction transaction, Path spoolDir,
            UsageWriteMetrics metrics, Tuning tuning) {
        this.redis = redis;
        this.vertx = vertx;
        this.transaction = transaction;
        this.instanceId = String.format("%016x", RANDOM.nextLong());
        this.spool = new UsageSpool(spoolDir, instanceId);
        this.metrics = metrics;
        this.tuning = tuning;
        this.retryDelayMs = tuning.firstRetryMs();
    }

    String instanceId() {
        return instanceId;
    }

    /** Opens the spool and replays what ended processes left there; writing starts once that is known. */
    void start() {
        vertx.executeBlocking(() -> {
            spool.open();
            return spool.claimOrphans();
        }, false).onComplete(ar -> {
            List<UsageSpool.Entry> orphans = ar.succeeded() ? ar.result() : List.of();
            if (ar.failed()) {
                LOG.errorf("usage spool %s unusable (%s): usage that cannot be written to Redis is kept in memory "
                        + "only", spool.dir().toAbsolutePath(), ar.cause().toString());
            }
            long events = 0;
            boolean write;
            synchronized (this) {
                for (int i = orphans.size() - 1; i >= 0; i--) {
                    queued.addFirst(UsageBatch.replayed(orphans.get(i)));
                    events += orphans.get(i).events();
                }
                started = true;
                write = startWriting();
            }
            metrics.pending(events);
            if (!orphans.isEmpty()) {
                LOG.infof("replaying %d spooled usage batch(es) of earlier processes (%d requests) from %s",
                        orphans.size(), events, spool.dir().toAbsolutePath());
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
            inMemory = memoryEvents;
            if (closed) {
                done.fail(new IllegalStateException("usage recorder closed: usage of a request finishing during "
                        + "shutdown is lost"));
                LOG.errorf("usage of %d request(s) lost: it finished after the usage recorder was closed", events);
                return done.future();
            }
            if (memoryEvents + events > tuning.maxMemoryEvents()) {
                write = false;
                spoolNow = false;
            } else {
                UsageBatch last = queued.peekLast();
                if (last != null && !last.sealed && last.events < MAX_EVENTS) {
                    last.writes.mergeFrom(writes);
                    last.events += events;
                    last.waiting.add(done);
                } else {
                    UsageBatch batch = new UsageBatch(instanceId, nextSeq++, writes);
                    batch.waiting.add(done);
                    queued.addLast(batch);
                    unspooled.addLast(batch);
                }
                memoryEvents += events;
                inMemory = -1;
                write = startWriting();
                spoolNow = startSpooling();
            }
        }
        if (inMemory >= 0) {
            metrics.failure(UsageWriteMetrics.DROPPED, events);
            String message = String.format("usage of %d request(s) dropped: the usage of %d requests already "
                    + "waits in memory (limit %d) because Redis does not take it and the spool %s cannot", events,
                    inMemory, tuning.maxMemoryEvents(), spool.dir().toAbsolutePath());
            LOG.error(message);
            done.fail(new IllegalStateException(message));
            return done.future();
        }
        metrics.pending(events);
        if (write) {
            writeHead();
        }
        if (spoolNow) {
            spoolNext();
        }
        return done.future();
    }

    /**
     * Waits up to {@link Tuning#drainMs} for the queue to drain while Redis answers, then spools (blocking, on the
     * calling thread) every batch not on disk yet and releases the spool. A batch still in flight may be both
     * applied and spooled: its replay then finds its commit marker.
     */
    void close() {
        List<UsageBatch> unsaved;
        synchronized (this) {
            long deadline = System.currentTimeMillis() + tuning.drainMs();
            while (started && !queued.isEmpty() && !failing && System.currentTimeMillis() < deadline) {
                try {
                    wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            closed = true;
            if (retryTimer >= 0) {
                vertx.cancelTimer(retryTimer);
            }
            unsaved = new ArrayList<>();
            for (UsageBatch batch : queued) {
                if (batch.disk == UsageBatch.Disk.NONE || batch.disk == UsageBatch.Disk.UNWRITABLE) {
                    batch.sealed = true;
                    batch.disk = UsageBatch.Disk.WRITING;
                    unsaved.add(batch);
                }
            }
            unspooled.clear();
        }
        for (UsageBatch batch : unsaved) {
            boolean remove;
            try {
                spool.write(batch.entry(), batch.writes);
                synchronized (this) {
                    batch.disk = UsageBatch.Disk.WRITTEN;
                    remove = batch.done;
                }
                if (remove) {
                    spool.remove(batch.entry());
                }
            } catch (Exception e) {
                LOG.errorf("usage of %d request(s) lost at shutdown: batch %s could not be spooled to %s (%s)",
                        batch.events, batch.name(), spool.dir().toAbsolutePath(), e.toString());
            }
        }
        if (!unsaved.isEmpty()) {
            LOG.warnf("shutdown: %d usage batch(es) not confirmed by Redis were spooled to %s for the next start",
                    unsaved.size(), spool.dir().toAbsolutePath());
        }
        spool.close();
    }

    // ---------------------------------------------------------------------------------------------------- Redis

    private boolean startWriting() {
        if (started && !writing && !closed && !queued.isEmpty()) {
            writing = true;
            return true;
        }
        return false;
    }

    private void writeHead() {
        UsageBatch head;
        synchronized (this) {
            retryTimer = -1;
            head = closed ? null : queued.peekFirst();
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
        vertx.executeBlocking(() -> spool.read(head.entry()), false).onComplete(ar -> {
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
            Future<Boolean> before = check ? UsageCommitMarker.applied(redis, head.instanceId, head.seq)
                    : Future.succeededFuture(false);
            outcome = before.compose(applied -> applied ? Future.succeededFuture(null)
                    : transaction.apply(redis, head.writes, head.instanceId, head.seq));
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
            waiting = finish(head);
            removeFile = head.disk == UsageBatch.Disk.WRITTEN;
            recovered = failing;
            failing = false;
            retryDelayMs = tuning.firstRetryMs();
            writing = false;
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
            removeFromSpool(head);
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
        long pending;
        synchronized (this) {
            closed = this.closed;
            failing = true;
            delay = retryDelayMs;
            retryDelayMs = Math.min(retryDelayMs * 2, tuning.maxRetryMs());
            if (closed) {
                writing = false;
            } else {
                retryTimer = vertx.setTimer(delay, id -> writeHead());
            }
            spoolNow = startSpooling();
            pending = metrics.pending();
        }
        metrics.failure(UsageWriteMetrics.UNAVAILABLE, 1);
        LOG.warnf("usage batch %s (%d requests) not written to Redis (%s); %s, %d request(s) waiting", head.name(),
                head.events, brief(cause), closed ? "left to the next start" : "retry in " + delay + " ms", pending);
        defer(head, cause);
        if (spoolNow) {
            spoolNext();
        }
    }

    /** No answer for a while: spool and defer as for a failure, but never resend while the pipeline may land. */
    private void stalled(UsageBatch head, int mine) {
        boolean spoolNow;
        synchronized (this) {
            if (head.done || mine != attempt || failing) {
                return;
            }
            failing = true;
            spoolNow = startSpooling();
        }
        metrics.failure(UsageWriteMetrics.UNAVAILABLE, 1);
        LOG.warnf("usage batch %s: no answer from Redis for %d ms; spooling usage until it answers", head.name(),
                tuning.stallMs());
        defer(head, new IllegalStateException("no answer from Redis"));
        if (spoolNow) {
            spoolNext();
        }
    }

    private void rejected(UsageBatch head, Throwable cause) {
        List<Promise<Void>> waiting;
        boolean write;
        synchronized (this) {
            waiting = finish(head);
            failing = false; // Redis answered
            retryDelayMs = tuning.firstRetryMs();
            writing = false;
            write = startWriting();
        }
        metrics.failure(UsageWriteMetrics.REJECTED, 1);
        UsageWrites writes = head.writes;
        vertx.executeBlocking(() -> spool.reject(head.entry(), writes), false).onComplete(ar -> {
            String kept = ar.succeeded() ? "kept in " + ar.result().toAbsolutePath()
                    : "could not be kept (" + ar.cause() + ")";
            LOG.errorf("usage batch %s (%d requests) refused by Redis for good, not retried: %s; %s", head.name(),
                    head.events, brief(cause), kept);
        });
        IllegalStateException lost = new IllegalStateException("usage refused by Redis: " + brief(cause), cause);
        waiting.forEach(p -> p.tryFail(lost));
        if (write) {
            writeHead();
        }
    }

    private void unreadable(UsageBatch head, Throwable cause) {
        List<Promise<Void>> waiting;
        boolean write;
        synchronized (this) {
            waiting = finish(head);
            writing = false;
            write = startWriting();
        }
        metrics.failure(UsageWriteMetrics.SPOOL, 1);
        vertx.executeBlocking(() -> spool.quarantine(head.entry()), false).onComplete(ar ->
                LOG.errorf("spooled usage batch %s (%d requests) cannot be read (%s); moved to %s", head.name(),
                        head.events, cause.toString(), ar.succeeded() ? ar.result() : "nowhere: " + ar.cause()));
        IllegalStateException lost = new IllegalStateException("spooled usage unreadable", cause);
        waiting.forEach(p -> p.tryFail(lost));
        if (write) {
            writeHead();
        }
    }

    /** Takes the head off the queue; returns who waits for it. Caller holds the lock. */
    private List<Promise<Void>> finish(UsageBatch head) {
        queued.remove(head);
        if (unspooled.peekFirst() == head) {
            unspooled.pollFirst();
        }
        head.done = true;
        if (head.disk != UsageBatch.Disk.WRITTEN) {
            memoryEvents -= head.events;
        }
        metrics.pending(-head.events);
        notifyAll();
        return head.waiting;
    }

    // ---------------------------------------------------------------------------------------------------- spool

    private boolean startSpooling() {
        if (failing && !spooling && !closed && !unspooled.isEmpty()) {
            spooling = true;
            return true;
        }
        return false;
    }

    /**
     * Spools the oldest batch not on disk yet; the queue's batches reach the disk in order, one at a time. The
     * open batch at the tail first collects requests for {@link Tuning#spoolLingerMs}.
     */
    private void spoolNext() {
        UsageBatch batch;
        UsageWrites writes;
        long linger;
        synchronized (this) {
            batch = failing && !closed ? unspooled.peekFirst() : null;
            if (batch == null) {
                spooling = false;
                return;
            }
            linger = tuning.spoolLingerMs() - (System.nanoTime() - batch.formedAt) / 1_000_000;
            if (batch == queued.peekLast() && !batch.sealed && batch.events < MAX_EVENTS && linger > 0) {
                writes = null;
            } else {
                unspooled.pollFirst();
                batch.sealed = true;
                batch.disk = UsageBatch.Disk.WRITING;
                writes = batch.writes;
            }
        }
        if (writes == null) {
            vertx.setTimer(linger, id -> spoolNext());
            return;
        }
        UsageSpool.Entry entry = batch.entry();
        vertx.executeBlocking(() -> {
            spool.write(entry, writes);
            return null;
        }, false).onComplete(ar -> spooled(batch, ar));
    }

    private void spooled(UsageBatch batch, AsyncResult<?> ar) {
        boolean removeFile;
        boolean deferNow;
        synchronized (this) {
            if (ar.succeeded()) {
                batch.disk = UsageBatch.Disk.WRITTEN;
                if (!batch.done) {
                    memoryEvents -= batch.events;
                    if (queued.peekFirst() != batch) {
                        batch.writes = null; // read back when its turn comes
                    }
                }
            } else {
                batch.disk = UsageBatch.Disk.UNWRITABLE;
            }
            removeFile = batch.done && ar.succeeded();
            deferNow = !batch.done && failing;
        }
        if (ar.failed()) {
            metrics.failure(UsageWriteMetrics.SPOOL, 1);
            LOG.errorf("usage batch %s (%d requests) cannot be spooled to %s (%s); kept in memory only",
                    batch.name(), batch.events, spool.dir().toAbsolutePath(), ar.cause().toString());
        }
        if (removeFile) {
            removeFromSpool(batch);
        }
        if (deferNow) {
            defer(batch, null);
        }
        spoolNext();
    }

    private void removeFromSpool(UsageBatch batch) {
        UsageSpool.Entry entry = batch.entry();
        vertx.executeBlocking(() -> {
            spool.remove(entry);
            return null;
        }, false).onFailure(e -> LOG.warnf("applied usage batch %s stays in the spool (%s); its replay will find "
                + "its commit marker", batch.name(), e.toString()));
    }

    private void defer(UsageBatch batch, Throwable cause) {
        List<Promise<Void>> waiting;
        UsageBatch.Disk disk;
        synchronized (this) {
            waiting = new ArrayList<>(batch.waiting);
            disk = batch.disk;
        }
        String where = switch (disk) {
            case WRITTEN -> "spooled to " + spool.dir().resolve(batch.entry().fileName()).toAbsolutePath();
            case UNWRITABLE -> "kept in memory (the spool cannot be written)";
            default -> "being spooled to " + spool.dir().toAbsolutePath() + " (kept in memory if that fails)";
        };
        UsageDeferred deferred = new UsageDeferred("usage not in Redis yet (batch " + batch.name() + ", Redis "
                + "failing); " + where + ", will be retried", cause);
        waiting.forEach(p -> p.tryFail(deferred));
    }

    /** A failure in one line: Vert.x reports one line per failed command of a pipeline. */
    private static String brief(Throwable cause) {
        String text = cause.toString();
        String[] lines = text.split("\\R");
        String first = lines[0].length() > 300 ? lines[0].substring(0, 300) + "…" : lines[0];
        return lines.length == 1 ? first : first + " (and " + (lines.length - 1) + " more errors, the last: "
                + lines[lines.length - 1] + ")";
    }
}
