package dev.relay.usage;

import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * One unit of {@link UsageWriteQueue}: merged usage writes, the requests waiting for them and the batch's place
 * in the commit order ({@code instanceId}, {@code seq}). Mutable; guarded by the queue's lock.
 */
final class UsageBatch {
    /** Where the batch is kept besides memory. */
    enum Disk { NONE, WRITING, WRITTEN, UNWRITABLE }

    final String instanceId;
    final long seq;
    final List<Promise<Void>> waiting = new ArrayList<>(4);
    final long formedAt = System.nanoTime();
    /** Null while the batch is only on disk. */
    UsageWrites writes;
    int events;
    /** No more merging: it was sent or is being spooled. */
    boolean sealed;
    Disk disk = Disk.NONE;
    /** It may have reached Redis (sent with unknown outcome, or replayed from a spool): check the marker first. */
    boolean mayBeApplied;
    /** Applied or given up: off the queue. */
    boolean done;

    UsageBatch(String instanceId, long seq, UsageWrites writes) {
        this.instanceId = instanceId;
        this.seq = seq;
        this.writes = writes;
        this.events = writes.events();
    }

    /** A batch an earlier process spooled: on disk only, possibly applied already. */
    static UsageBatch replayed(UsageSpool.Entry entry) {
        UsageBatch batch = new UsageBatch(entry.instanceId(), entry.seq(), new UsageWrites());
        batch.writes = null;
        batch.events = entry.events();
        batch.sealed = true;
        batch.disk = Disk.WRITTEN;
        batch.mayBeApplied = true;
        return batch;
    }

    UsageSpool.Entry entry() {
        return new UsageSpool.Entry(instanceId, seq, events);
    }

    String name() {
        return instanceId + "/" + seq;
    }
}
