package dev.relay.usage;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@link UsageSpool} seen from an event loop: runs its blocking file operations on Vert.x worker threads, and logs
 * the outcome of those nobody waits for (under the queue's log category, where an operator looks for usage).
 */
final class UsageSpoolWorker {
    private static final Logger LOG = Logger.getLogger(UsageWriteQueue.class);

    private final UsageSpool spool;
    private final Vertx vertx;

    UsageSpoolWorker(UsageSpool spool, Vertx vertx) {
        this.spool = spool;
        this.vertx = vertx;
    }

    Path dir() {
        return spool.dir().toAbsolutePath();
    }

    /** Opens the spool and claims the batches of ended processes; none when the spool is unusable (logged). */
    Future<List<UsageSpool.Entry>> open() {
        return vertx.executeBlocking(() -> {
            spool.open();
            return spool.claimOrphans();
        }, false).otherwise(e -> {
            LOG.errorf("usage spool %s unusable (%s): usage that cannot be written to Redis is kept in memory only",
                    dir(), e.toString());
            return List.of();
        });
    }

    Future<UsageWrites> read(UsageBatch batch) {
        UsageSpool.Entry entry = batch.entry();
        return vertx.executeBlocking(() -> spool.read(entry), false);
    }

    Future<Void> write(UsageBatch batch, UsageWrites writes) {
        UsageSpool.Entry entry = batch.entry();
        return vertx.executeBlocking(() -> {
            spool.write(entry, writes);
            return null;
        }, false);
    }

    /** Deletes the file of an applied batch; one left behind is harmless (its replay finds the commit marker). */
    void remove(UsageBatch batch) {
        UsageSpool.Entry entry = batch.entry();
        vertx.executeBlocking(() -> {
            spool.remove(entry);
            return null;
        }, false).onFailure(e -> LOG.warnf("applied usage batch %s stays in the spool (%s); its replay will find "
                + "its commit marker", batch.name(), e.toString()));
    }

    /** Keeps a batch Redis refused for good in {@code rejected/}, for an operator. */
    void reject(UsageBatch batch, UsageWrites writes, String why) {
        UsageSpool.Entry entry = batch.entry();
        vertx.executeBlocking(() -> spool.reject(entry, writes), false).onComplete(ar -> {
            String kept = ar.succeeded() ? "kept in " + ar.result().toAbsolutePath()
                    : "could not be kept (" + ar.cause() + ")";
            LOG.errorf("usage batch %s (%d requests) refused by Redis for good, not retried: %s; %s", batch.name(),
                    batch.events, why, kept);
        });
    }

    /** Moves a spooled batch that cannot be read out of the way. */
    void quarantine(UsageBatch batch, Throwable cause) {
        UsageSpool.Entry entry = batch.entry();
        vertx.executeBlocking(() -> spool.quarantine(entry), false).onComplete(ar ->
                LOG.errorf("spooled usage batch %s (%d requests) cannot be read (%s); moved to %s", batch.name(),
                        batch.events, cause.toString(), ar.succeeded() ? ar.result() : "nowhere: " + ar.cause()));
    }

    /** Where a deferred batch waits, for the message its callers get. */
    String whereWaiting(UsageBatch batch, UsageBatch.Disk disk) {
        return switch (disk) {
            case WRITTEN -> "spooled to " + dir().resolve(batch.entry().fileName());
            case UNWRITABLE -> "kept in memory (the spool cannot be written)";
            default -> "being spooled to " + dir() + " (kept in memory if that fails)";
        };
    }

    /** At shutdown, on the calling thread: writes the batch now; false (logged) when that failed. */
    boolean writeNow(UsageBatch batch) {
        try {
            spool.write(batch.entry(), batch.writes);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("usage of %d request(s) lost at shutdown: batch %s could not be spooled to %s (%s)",
                    batch.events, batch.name(), dir(), e.toString());
            return false;
        }
    }

    /** At shutdown, on the calling thread: deletes the file of a batch applied meanwhile. */
    void removeNow(UsageBatch batch) {
        try {
            spool.remove(batch.entry());
        } catch (IOException | RuntimeException e) {
            LOG.warnf("applied usage batch %s stays in the spool (%s); its replay will find its commit marker",
                    batch.name(), e.toString());
        }
    }

    /** Releases the locks of this process and of the ended ones whose batches it replayed. */
    void close() {
        spool.close();
    }
}
