package dev.relay.usage;

import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The usage batches of one process not applied yet, in commit order. A request's writes merge into the open batch
 * at the tail (summed counters), up to {@link #MAX_EVENTS} per batch; a sealed batch takes no more. Also counts
 * the events held in memory only (not on disk) and keeps the order in which batches go to the spool.
 *
 * <p>Not thread-safe: guarded by the lock of its {@link UsageWriteQueue}.
 */
final class UsageBacklog {
    static final int MAX_EVENTS = 512;

    private final String instanceId;
    private final int maxMemoryEvents;
    private final Deque<UsageBatch> queued = new ArrayDeque<>();
    /** The batches of {@link #queued} not on disk yet, in the same order. */
    private final Deque<UsageBatch> unspooled = new ArrayDeque<>();
    private long nextSeq = 1;
    private long memoryEvents;

    UsageBacklog(String instanceId, int maxMemoryEvents) {
        this.instanceId = instanceId;
        this.maxMemoryEvents = maxMemoryEvents;
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    /** The batch whose turn it is to be applied, or null. */
    UsageBatch head() {
        return queued.peekFirst();
    }

    long memoryEvents() {
        return memoryEvents;
    }

    /** Whether {@code events} more would exceed the in-memory limit. */
    boolean full(int events) {
        return memoryEvents + events > maxMemoryEvents;
    }

    /** Merges the writes into the open batch at the tail, or opens a new one; {@code waiting} learns the outcome. */
    void add(UsageWrites writes, Promise<Void> waiting) {
        int events = writes.events();
        UsageBatch last = queued.peekLast();
        if (last != null && open(last)) {
            last.writes.mergeFrom(writes);
            last.events += events;
            last.waiting.add(waiting);
        } else {
            UsageBatch batch = new UsageBatch(instanceId, nextSeq++, writes);
            batch.waiting.add(waiting);
            queued.addLast(batch);
            unspooled.addLast(batch);
        }
        memoryEvents += events;
    }

    /** Whether the batch still takes requests: the tail, not sealed, with room left. */
    boolean open(UsageBatch batch) {
        return batch == queued.peekLast() && !batch.sealed && batch.events < MAX_EVENTS;
    }

    /** Batches spooled by ended processes go first, before anything of this one; returns how many events. */
    long replayFirst(List<UsageSpool.Entry> orphans) {
        long events = 0;
        for (int i = orphans.size() - 1; i >= 0; i--) {
            queued.addFirst(UsageBatch.replayed(orphans.get(i)));
            events += orphans.get(i).events();
        }
        return events;
    }

    /** Takes a batch off (applied or given up); returns who waits for it. */
    List<Promise<Void>> finish(UsageBatch batch) {
        queued.remove(batch);
        if (unspooled.peekFirst() == batch) {
            unspooled.pollFirst();
        }
        batch.done = true;
        if (batch.disk != UsageBatch.Disk.WRITTEN) {
            memoryEvents -= batch.events;
        }
        return batch.waiting;
    }

    /** The oldest batch not on disk yet, or null: batches reach the spool in commit order. */
    UsageBatch nextToSpool() {
        return unspooled.peekFirst();
    }

    /** The oldest batch not on disk leaves the spool order: sealed and being written; returns its writes. */
    UsageWrites spooling(UsageBatch batch) {
        unspooled.pollFirst();
        batch.sealed = true;
        batch.disk = UsageBatch.Disk.WRITING;
        return batch.writes;
    }

    /** A spool write ended: a written batch leaves memory, except the head, whose turn may come any moment. */
    void spooled(UsageBatch batch, boolean written) {
        if (!written) {
            batch.disk = UsageBatch.Disk.UNWRITABLE;
            return;
        }
        batch.disk = UsageBatch.Disk.WRITTEN;
        if (!batch.done) {
            memoryEvents -= batch.events;
            if (queued.peekFirst() != batch) {
                batch.writes = null; // read back when its turn comes
            }
        }
    }

    /** At shutdown: every batch not on disk, sealed and marked as being written; none is spooled in order any more. */
    List<UsageBatch> unsaved() {
        List<UsageBatch> out = new ArrayList<>();
        for (UsageBatch batch : queued) {
            if (batch.disk == UsageBatch.Disk.NONE || batch.disk == UsageBatch.Disk.UNWRITABLE) {
                batch.sealed = true;
                batch.disk = UsageBatch.Disk.WRITING;
                out.add(batch);
            }
        }
        unspooled.clear();
        return out;
    }
}
