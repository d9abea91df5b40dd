package dev.relay.scheduler;

import dev.relay.store.RedisUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * An in-memory list of one platform's accounts, reloaded from Redis in the background (the legacy caches similar
 * data for 2 s). The request path never scans Redis; a change made by the legacy or an admin is seen within one
 * refresh period.
 */
final class AccountSnapshot<A> {
    private static final Logger LOG = Logger.getLogger(AccountSnapshot.class);
    static final long REFRESH_MS = 1000;

    private final Supplier<Future<List<A>>> loader;
    private final Vertx vertx;
    private final String what;
    private final AtomicReference<Future<List<A>>> snapshot = new AtomicReference<>();
    private volatile long loadedAt;
    private long timer = -1;

    AccountSnapshot(Supplier<Future<List<A>>> loader, Vertx vertx, String what) {
        this.loader = loader;
        this.vertx = vertx;
        this.what = what;
    }

    /** The current snapshot; the first call loads it. */
    Future<List<A>> all() {
        Future<List<A>> current = snapshot.get();
        if (current == null || current.failed()) {
            current = reload();
            startRefreshing();
        } else if (System.currentTimeMillis() - loadedAt > 10 * REFRESH_MS && current.isComplete()) {
            reload();
        }
        return current;
    }

    /** Forces a reload, e.g. after this instance changed an account's state. */
    Future<List<A>> reload() {
        Future<List<A>> next = loader.get();
        next.onSuccess(list -> {
            snapshot.set(Future.succeededFuture(List.copyOf(list)));
            loadedAt = System.currentTimeMillis();
        }).onFailure(e -> {
            if (e instanceof RedisUnavailable) {
                LOG.debugf("could not refresh %s: %s", what, e.getMessage()); // the outage is logged once
            } else {
                LOG.warnf("could not refresh %s: %s", what, e.getMessage());
            }
        });
        snapshot.compareAndSet(null, next);
        return next;
    }

    private synchronized void startRefreshing() {
        if (timer == -1) {
            timer = vertx.setPeriodic(REFRESH_MS, id -> reload());
        }
    }

    synchronized void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
