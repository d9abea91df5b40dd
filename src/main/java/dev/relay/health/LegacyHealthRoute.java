package dev.relay.health;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.store.LegacyClock;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * The legacy's {@code GET /api/health} and {@code /claude/health} (relay.md §1.6), for monitors written against
 * it: healthy iff at least one Claude OAuth account is active with status {@code active}. Orchestrators should use
 * {@code /q/health/ready}, which checks Redis and PostgreSQL.
 */
@Singleton
public class LegacyHealthRoute {
    private final AccountStore accounts;

    public LegacyHealthRoute(AccountStore accounts) {
        this.accounts = accounts;
    }

    void register(@Observes Router router) {
        router.get("/api/health").handler(this::health);
        router.get("/claude/health").handler(this::health);
    }

    private void health(RoutingContext ctx) {
        accounts.allClaudeOAuth().onComplete(ar -> {
            List<ClaudeOAuthAccount> all = ar.succeeded() ? ar.result() : List.of();
            long active = all.stream().filter(a -> a.active() && "active".equals(a.status())).count();
            boolean healthy = ar.succeeded() && active > 0;
            JsonObject body = new JsonObject()
                    .put("status", healthy ? "healthy" : "unhealthy")
                    .put("service", "claude-relay-service")
                    .put("version", "1.0.0")
                    .put("healthy", healthy)
                    .put("activeAccounts", active)
                    .put("totalAccounts", all.size())
                    .put("timestamp", LegacyClock.iso(Instant.now()));
            ctx.response().setStatusCode(healthy ? 200 : 503)
                    .putHeader("Content-Type", "application/json; charset=utf-8").end(body.toBuffer());
        });
    }
}
