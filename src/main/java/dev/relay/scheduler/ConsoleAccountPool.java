package dev.relay.scheduler;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeConsoleAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.relay.store.RedisUnavailable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * An in-memory snapshot of every Claude Console account, refreshed from Redis in the background (the legacy
 * caches similar data for 2 s). The request path never scans Redis; a change made by the legacy or an admin is
 * seen within one refresh period, and a failing account is also excluded per request by the scheduler.
 */
@Singleton
public class ConsoleAccountPool {
    private static final Logger LOG = Logger.getLogger(ConsoleAccountPool.class);
    static final long REFRESH_MS = 1000;

    private final AccountStore accounts;
    private final Vertx vertx;
    private final AtomicReference<Future<List<ClaudeConsoleAccount>>> snapshot = new AtomicReference<>();
    private volatile long loadedAt;
    private long timer = -1;

    public ConsoleAccountPool(AccountStore accounts, Vertx vertx) {
        this.accounts = accounts;
        this.vertx = vertx;
    }

    /** The current snapshot; the first call loads it. */
    public Future<List<ClaudeConsoleAccount>> all() {
        Future<List<ClaudeConsoleAccount>> current = snapshot.get();
        if (current == null || (current.failed())) {
            current = reload();
            startRefreshing();
        } else if (System.currentTimeMillis() - loadedAt > 10 * REFRESH_MS && current.isComplete()) {
            reload();
        }
        return current;
    }

    /** Forces a reload, e.g. after this instance changed an account's state. */
    public Future<List<ClaudeConsoleAccount>> reload() {
        Future<List<ClaudeConsoleAccount>> next = accounts.allClaudeConsole();
        next.onSuccess(list -> {
            snapshot.set(Future.succeededFuture(List.copyOf(list)));
            loadedAt = System.currentTimeMillis();
        }).onFailure(e -> {
            if (e instanceof RedisUnavailable) {
                LOG.debugf("could not refresh Claude Console accounts: %s", e.getMessage()); // the outage is logged once
            } else {
                LOG.warnf("could not refresh Claude Console accounts: %s", e.getMessage());
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

    @PreDestroy
    synchronized void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }
}
