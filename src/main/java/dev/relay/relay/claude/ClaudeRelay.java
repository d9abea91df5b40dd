package dev.relay.relay.claude;

import dev.relay.account.AccountStore;
import dev.relay.auth.ApiKeyAuthenticator;
import dev.relay.auth.ApiKeyAuthenticator.RequestFacts;
import dev.relay.auth.ApiKeyExtractor;
import dev.relay.auth.AuthorizedKey;
import dev.relay.auth.ClientRestriction;
import dev.relay.config.RelayConfig;
import dev.relay.relay.ClientDisconnects;
import dev.relay.relay.ErrorWriter;
import dev.relay.relay.RelayExchange;
import dev.relay.relay.RelayFailure;
import dev.relay.scheduler.ClaudeAccountScheduler;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.scheduler.SessionHash;
import dev.relay.store.AccountHealthMarks;
import dev.relay.store.SessionMapping;
import dev.relay.store.StickySessions;
import dev.relay.usage.UsageRecorder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * {@code POST /v1/messages} and {@code count_tokens} for Claude clients: parse, authenticate, check permission
 * and model rules, then hand the request to a {@link ClaudeFlight} that schedules, calls the upstream, fails over
 * and forwards.
 */
@Singleton
public class ClaudeRelay {
    final ApiKeyAuthenticator auth;
    final ClaudeAccountScheduler scheduler;
    final ConsoleAccountPool pool;
    final ConsoleUpstream upstream;
    final AccountHealthMarks health;
    final StickySessions sticky;
    final AccountStore accounts;
    final UsageRecorder usage;
    final UserMessageQueue userMessages;
    final Vertx vertx;
    /** TTL of the temporary mark after a connection failure (the legacy's 300 s stays for timeouts and 5xx). */
    final long connectFailureCooldownSeconds;
    final ClientDisconnects disconnects;

    public ClaudeRelay(ApiKeyAuthenticator auth, ClaudeAccountScheduler scheduler, ConsoleAccountPool pool,
            ConsoleUpstream upstream, AccountHealthMarks health, StickySessions sticky, AccountStore accounts,
            UsageRecorder usage, UserMessageQueue userMessages, Vertx vertx, RelayConfig config,
            ClientDisconnects disconnects) {
        this.auth = auth;
        this.scheduler = scheduler;
        this.pool = pool;
        this.upstream = upstream;
        this.health = health;
        this.sticky = sticky;
        this.accounts = accounts;
        this.usage = usage;
        this.userMessages = userMessages;
        this.vertx = vertx;
        this.connectFailureCooldownSeconds = Math.max(1, config.connectFailureCooldownSeconds());
        this.disconnects = disconnects;
    }

    public void messages(RoutingContext ctx) {
        handle(ctx, false);
    }

    public void countTokens(RoutingContext ctx) {
        handle(ctx, true);
    }

    private void handle(RoutingContext ctx, boolean countTokens) {
        MessagesRequest request;
        try {
            request = MessagesRequest.parse(ctx.body().buffer());
        } catch (RelayFailure failure) {
            ErrorWriter.write(ctx, failure);
            return;
        }
        String path = ctx.normalizedPath();
        RequestFacts facts = new RequestFacts(ApiKeyExtractor.extract(ctx.request()), path, countTokens,
                request.model(), ClientRestriction.of(path, ctx.request().headers(), request.json()),
                () -> ctx.response().closed(),
                // the legacy answers a request that had to queue with Connection: close (fixture 08 queued-3)
                () -> ctx.response().putHeader("Connection", "close"));
        RelayExchange exchange = new RelayExchange(vertx);
        ctx.response().closeHandler(v -> exchange.finish());
        String sessionHash = SessionHash.of(request.json());
        // the session's sticky mapping does not depend on the key: read it while the key is authenticated, so the
        // account is known one round trip sooner (an unused read when authentication fails)
        Future<Optional<SessionMapping>> stickyRead = sessionHash == null ? null : sticky.get(sessionHash);
        auth.authenticate(facts).onComplete(result -> {
            if (result.failed()) {
                ErrorWriter.write(ctx, result.cause());
                return;
            }
            AuthorizedKey key = result.result();
            exchange.hold(key.lease());
            try {
                checkRoute(key, request, countTokens);
            } catch (RelayFailure failure) {
                exchange.finish();
                ErrorWriter.write(ctx, failure);
                return;
            }
            new ClaudeFlight(this, ctx, exchange, key, request, countTokens, sessionHash, stickyRead).start();
        });
    }

    /** Checks made by the route after authentication (relay.md §3.3 "after authentication"). */
    private static void checkRoute(AuthorizedKey authorized, MessagesRequest request, boolean countTokens) {
        if (!authorized.key().permits("claude")) {
            throw countTokens
                    ? RelayFailure.typed(403, "permission_error", "This API key does not have permission to access Claude")
                    : RelayFailure.typed(403, "permission_error", "此 API Key 无权访问 Claude 服务");
        }
        if (!countTokens) {
            request.validate();
        } else if (request.model() == null) {
            throw MessagesRequest.invalid("model: Field required");
        }
        if (authorized.key().enableModelRestriction()
                && authorized.key().restrictedModels().contains(request.modelWithoutVendor())) {
            throw RelayFailure.typed(403, "forbidden", "暂无该模型访问权限");
        }
    }
}
