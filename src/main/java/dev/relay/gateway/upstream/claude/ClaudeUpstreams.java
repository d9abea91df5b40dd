package dev.relay.gateway.upstream.claude;

import dev.relay.account.Account;
import dev.relay.account.CcrAccount;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.gateway.AccountMark;
import dev.relay.gateway.Flight;
import dev.relay.gateway.Operation;
import dev.relay.gateway.UpstreamAdapter;
import dev.relay.gateway.UpstreamCall;
import dev.relay.gateway.Verdict;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import jakarta.inject.Singleton;
import java.util.function.Consumer;

/**
 * The unified Claude pool's upstream: each call goes to the adapter of the picked account's type (OAuth, Console, CCR),
 * so the one failover loop serves a pool that mixes them.
 */
@Singleton
public class ClaudeUpstreams implements UpstreamAdapter<Account> {
    private final OAuthUpstream oauth;
    private final ConsoleUpstream console;
    private final CcrUpstream ccr;

    public ClaudeUpstreams(OAuthUpstream oauth, ConsoleUpstream console, CcrUpstream ccr) {
        this.oauth = oauth;
        this.console = console;
        this.ccr = ccr;
    }

    @Override
    public Future<UpstreamCall> send(Account account, Flight flight, Operation operation,
            Consumer<HttpClientRequest> sending) {
        if (account instanceof ClaudeOAuthAccount o) {
            return oauth.send(o, flight, operation, sending);
        }
        if (account instanceof ClaudeConsoleAccount c) {
            return console.send(c, flight, operation, sending);
        }
        if (account instanceof CcrAccount c) {
            return ccr.send(c, flight, operation, sending);
        }
        return Future.failedFuture(new IllegalStateException("no Claude upstream for " + account.platform()));
    }

    @Override
    public Verdict classify(Account account, int status, Flight flight) {
        if (account instanceof ClaudeOAuthAccount o) {
            return oauth.classify(o, status, flight);
        }
        if (account instanceof CcrAccount c) {
            return ccr.classify(c, status, flight);
        }
        return console.classify((ClaudeConsoleAccount) account, status, flight);
    }

    @Override
    public Future<Void> mark(Account account, AccountMark mark) {
        if (account instanceof ClaudeOAuthAccount o) {
            return oauth.mark(o, mark);
        }
        if (account instanceof CcrAccount c) {
            return ccr.mark(c, mark);
        }
        return account instanceof ClaudeConsoleAccount c ? console.mark(c, mark) : Future.succeededFuture();
    }

    @Override
    public Future<Void> mark(Account account, AccountMark mark, MultiMap answerHeaders, Flight flight) {
        if (account instanceof ClaudeOAuthAccount o) {
            return oauth.mark(o, mark, answerHeaders, flight);
        }
        if (account instanceof CcrAccount c) {
            return ccr.mark(c, mark, answerHeaders, flight);
        }
        return account instanceof ClaudeConsoleAccount c ? console.mark(c, mark, answerHeaders, flight)
                : Future.succeededFuture();
    }

    @Override
    public void succeeded(Account account) {
        if (account instanceof ClaudeOAuthAccount o) {
            oauth.succeeded(o);
        } else if (account instanceof ClaudeConsoleAccount c) {
            console.succeeded(c);
        } else if (account instanceof CcrAccount c) {
            ccr.succeeded(c);
        }
    }

    @Override
    public void touch(Account account, String lastUsedAt) {
        if (account instanceof ClaudeOAuthAccount o) {
            oauth.touch(o, lastUsedAt);
        } else if (account instanceof ClaudeConsoleAccount c) {
            console.touch(c, lastUsedAt);
        } else if (account instanceof CcrAccount c) {
            ccr.touch(c, lastUsedAt);
        }
    }
}
