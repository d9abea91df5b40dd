package dev.relay.scheduler;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeConsoleAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * An in-memory snapshot of every Claude Console account ({@link AccountSnapshot}). A failing account is also
 * excluded per request by the scheduler.
 */
@Singleton
public class ConsoleAccountPool {
    static final long REFRESH_MS = AccountSnapshot.REFRESH_MS;

    private final AccountSnapshot<ClaudeConsoleAccount> snapshot;

    public ConsoleAccountPool(AccountStore accounts, Vertx vertx) {
        this.snapshot = new AccountSnapshot<>(accounts::allClaudeConsole, vertx, "Claude Console accounts");
    }

    /** The current snapshot; the first call loads it. */
    public Future<List<ClaudeConsoleAccount>> all() {
        return snapshot.all();
    }

    /** Forces a reload, e.g. after this instance changed an account's state. */
    public Future<List<ClaudeConsoleAccount>> reload() {
        return snapshot.reload();
    }

    @PreDestroy
    void stop() {
        snapshot.stop();
    }
}
