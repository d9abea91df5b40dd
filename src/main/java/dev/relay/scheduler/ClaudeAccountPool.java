package dev.relay.scheduler;

import dev.relay.account.AccountStore;
import dev.relay.account.CcrAccount;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ClaudeOAuthAccount;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;

/** The snapshots of the unified Claude pool (relay.md §4.2): OAuth, Console and CCR accounts. */
@Singleton
public class ClaudeAccountPool {
    private final ConsoleAccountPool console;
    private final AccountSnapshot<ClaudeOAuthAccount> oauth;
    private final AccountSnapshot<CcrAccount> ccr;

    public ClaudeAccountPool(ConsoleAccountPool console, AccountStore accounts, Vertx vertx) {
        this.console = console;
        this.oauth = new AccountSnapshot<>(accounts::allClaudeOAuth, vertx, "Claude OAuth accounts");
        this.ccr = new AccountSnapshot<>(accounts::allCcr, vertx, "CCR accounts");
    }

    public Future<List<ClaudeConsoleAccount>> console() {
        return console.all();
    }

    public Future<List<ClaudeOAuthAccount>> oauth() {
        return oauth.all();
    }

    public Future<List<CcrAccount>> ccr() {
        return ccr.all();
    }

    /** Reloads the OAuth snapshot, e.g. after this instance marked or refreshed an OAuth account. */
    public Future<List<ClaudeOAuthAccount>> reloadOAuth() {
        return oauth.reload();
    }

    public Future<List<CcrAccount>> reloadCcr() {
        return ccr.reload();
    }

    /** Reloads every snapshot. */
    public Future<Void> reload() {
        return Future.all(console.reload(), oauth.reload(), ccr.reload()).mapEmpty();
    }

    @PreDestroy
    void stop() {
        oauth.stop();
        ccr.stop();
    }
}
