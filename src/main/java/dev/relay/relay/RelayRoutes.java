package dev.relay.relay;

import dev.relay.auth.ApiKeyAuthenticator;
import dev.relay.auth.ApiKeyAuthenticator.RequestFacts;
import dev.relay.auth.ApiKeyExtractor;
import dev.relay.config.RelayConfig;
import dev.relay.relay.claude.ClaudeRelay;
import dev.relay.relay.claude.ModelCatalog;
import dev.relay.store.LegacyClock;
import dev.relay.usage.UsageSummary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * The relay's routes on the Vert.x router (the hot path; the admin API uses RESTEasy). Paths follow relay.md §1.1;
 * query strings such as Claude Code's {@code ?beta=true} are ignored.
 */
@Singleton
public class RelayRoutes {
    private final ClaudeRelay claude;
    private final ApiKeyAuthenticator auth;
    private final UsageSummary usage;
    private final Vertx vertx;
    private final long maxBodyBytes;

    @Inject
    public RelayRoutes(ClaudeRelay claude, ApiKeyAuthenticator auth, UsageSummary usage, Vertx vertx,
            RelayConfig config) {
        this(claude, auth, usage, vertx, config.maxBodyMb());
    }

    RelayRoutes(ClaudeRelay claude, ApiKeyAuthenticator auth, UsageSummary usage, Vertx vertx, long maxBodyMb) {
        this.claude = claude;
        this.auth = auth;
        this.usage = usage;
        this.vertx = vertx;
        this.maxBodyBytes = maxBodyMb * 1024 * 1024;
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setHandleFileUploads(false);
        for (String prefix : new String[] {"/api", "/claude", "/api/claude", "/claude/claude"}) {
            router.post(prefix + "/v1/messages").handler(body).handler(claude::messages).failureHandler(this::failed);
            router.post(prefix + "/v1/messages/count_tokens").handler(body).handler(claude::countTokens)
                    .failureHandler(this::failed);
        }
        for (String prefix : new String[] {"/api", "/claude"}) {
            router.get(prefix + "/v1/models").handler(ctx -> keyInfo(ctx,
                    key -> Future.succeededFuture(ModelCatalog.listFor(key, Instant.now()))));
            router.get(prefix + "/v1/me").handler(ctx -> keyInfo(ctx, key -> Future.succeededFuture(KeyInfo.me(key))));
            router.get(prefix + "/v1/organizations/:orgId/usage").handler(ctx -> keyInfo(ctx,
                    key -> Future.succeededFuture(KeyInfo.creditBalance(key))));
            router.get(prefix + "/v1/key-info").handler(ctx -> keyInfo(ctx,
                    key -> usage.of(key.id(), key.raw().get("createdAt"), Instant.now())
                            .map(u -> KeyInfo.keyInfo(key, u))));
            router.get(prefix + "/v1/usage").handler(ctx -> keyInfo(ctx,
                    key -> usage.of(key.id(), key.raw().get("createdAt"), Instant.now())
                            .map(u -> KeyInfo.usage(key, u))));
            router.post(prefix + "/api/event_logging/batch").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json; charset=utf-8").end("{\"success\":true}"));
        }
    }

    /** A GET answered from the authenticated key alone (models list, /v1/me, organization usage). */
    private void keyInfo(RoutingContext ctx,
            java.util.function.Function<dev.relay.auth.ApiKey, Future<JsonObject>> answer) {
        RelayExchange exchange = new RelayExchange(vertx);
        ctx.response().closeHandler(v -> exchange.finish());
        auth.authenticate(new RequestFacts(ApiKeyExtractor.extract(ctx.request()), ctx.normalizedPath(), false, null,
                allowed -> true, () -> ctx.response().closed(), () -> { })).onComplete(ar -> {
                    if (ar.failed()) {
                        ErrorWriter.write(ctx, ar.cause());
                        return;
                    }
                    exchange.hold(ar.result().lease());
                    answer.apply(ar.result().key()).onComplete(body -> {
                        exchange.finish();
                        if (body.failed()) {
                            ErrorWriter.write(ctx, RelayFailure.plain(500, "Failed to get usage stats",
                                    String.valueOf(body.cause().getMessage())));
                            return;
                        }
                        ResponseHeaders.addCommon(ctx.response().headers());
                        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                                .end(body.result().toBuffer());
                    });
                });
    }

    /** Body handler refusals: too large, or the client went away while uploading. */
    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            ErrorWriter.write(ctx, new RelayFailure(413, new JsonObject().put("type", "error").put("error",
                    new JsonObject().put("type", "request_too_large")
                            .put("message", "Request body size exceeds limit (" + maxBodyBytes / (1024 * 1024) + "MB)"))));
        } else if (ctx.failure() != null) {
            ErrorWriter.write(ctx, ctx.failure());
        } else {
            ErrorWriter.write(ctx, new RelayFailure(status > 0 ? status : 500, new JsonObject()
                    .put("error", "Relay service error").put("message", "Request failed")
                    .put("timestamp", LegacyClock.iso(Instant.now()))));
        }
    }
}
