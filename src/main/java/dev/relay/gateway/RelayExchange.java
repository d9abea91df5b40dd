package dev.relay.gateway;

import dev.relay.store.ConcurrencyLease;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One client request's held resources. Contract: every lease taken is registered here; {@link #finish} runs
 * exactly once — on completion, upstream failure, timeout or client disconnect — releasing leases in reverse
 * order of acquisition and then running the completion hooks (usage billing). While the request lives its
 * leases are renewed every {@code relay.lease-renew-seconds}, so a long stream keeps its slot (the legacy
 * force-releases after 10 minutes: we do not) while the leases of a process that died lapse after one lease.
 */
public final class RelayExchange {
    private static final Logger LOG = Logger.getLogger(RelayExchange.class);

    private final Vertx vertx;
    private final Deque<ConcurrencyLease> leases = new ArrayDeque<>();
    private final Deque<Runnable> onFinish = new ArrayDeque<>();
    private long refreshTimer = -1;
    private boolean finished;

    public RelayExchange(Vertx vertx) {
        this.vertx = vertx;
    }

    public synchronized void hold(ConcurrencyLease lease) {
        if (lease == null) {
            return;
        }
        if (finished) {
            lease.release();
            return;
        }
        leases.push(lease);
        if (refreshTimer == -1) {
            refreshTimer = vertx.setPeriodic(lease.renewMillis(), id -> refresh());
        }
    }

    /** Gives a lease back early (e.g. the account failed and the request moves to another one). */
    public synchronized void releaseEarly(ConcurrencyLease lease) {
        if (lease != null && leases.remove(lease)) {
            lease.release();
        }
    }

    public synchronized void onFinish(Runnable hook) {
        onFinish.add(hook);
    }

    public synchronized boolean finished() {
        return finished;
    }

    public void finish() {
        Deque<ConcurrencyLease> toRelease;
        Deque<Runnable> hooks;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            if (refreshTimer != -1) {
                vertx.cancelTimer(refreshTimer);
            }
            toRelease = new ArrayDeque<>(leases);
            leases.clear();
            hooks = new ArrayDeque<>(onFinish);
            onFinish.clear();
        }
        toRelease.forEach(ConcurrencyLease::release);
        hooks.forEach(runSafely());
    }

    private synchronized void refresh() {
        for (ConcurrencyLease lease : leases) {
            lease.refresh();
        }
    }

    private static Consumer<Runnable> runSafely() {
        return hook -> {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "completion hook failed");
            }
        };
    }
}
