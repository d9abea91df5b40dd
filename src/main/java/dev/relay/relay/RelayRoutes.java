package dev.relay.relay;

import dev.relay.auth.ApiKeyAuthenticator;
import dev.relay.auth.ApiKeyAuthenticator.RequestFacts;
import dev.relay.auth.ApiKeyExtractor;
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
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The relay's routes on the Vert.x router (the hot path; the admin API uses RESTEasy). Paths follow relay.md §1.1;
 * query strings such as Claude Code's {@code ?beta=true} are ignored.
 */
@Singleton
public class RelayRoutes {
    /** Where Anthropic Messages requests (and their count_tokens) are served. */
    private static final List<String> MESSAGES_PREFIXES = List.of("/api", "/claude", "/api/claude", "/claude/claude");
    private static final Set<String> MESSAGES_PATHS = MESSAGES_PREFIXES.stream()
            .flatMap(prefix -> Stream.of(prefix + "/v1/messages", prefix + "/v1/messages/count_tokens"))
            .collect(Collectors.toUnmodifiableSet());

    private final ClaudeRelay claude;
    private final ApiKeyAuthenticator auth;
    private final UsageSummary usage;
    private final Vertx vertx;
    private final BodyLimit limit;

    @Inject
    public RelayRoutes(ClaudeRelay claude, ApiKeyAuthenticator auth, UsageSummary usage, Vertx vertx, BodyLimit limit) {
        this.claude = claude;
        this.auth = auth;
        this.usage = usage;
        this.vertx = vertx;
        this.limit = limit;
    }

    void register(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false).setBodyLimit(limit.maxBytes()).setHandleFileUploads(false);
        for (String prefix : MESSAGES_PREFIXES) {
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
                    key -> usage.of(key, Instant.now()).map(u -> KeyInfo.keyInfo(key, u))));
            router.get(prefix + "/v1/usage").handler(ctx -> keyInfo(ctx,
                    key -> usage.of(key, Instant.now()).map(u -> KeyInfo.usage(key, u))));
            router.post(prefix + "/api/event_logging/batch").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json; charset=utf-8").end("{\"success\":true}"));
        }
    }

    /** Whether {@code path} (normalized) is a Messages route, whose errors are in Anthropic's format. */
    static boolean isMessagesPath(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return MESSAGES_PATHS.contains(p);
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
            ErrorWriter.write(ctx, limit.refusal(true));
        } else if (ctx.failure() != null) {
            ErrorWriter.write(ctx, ctx.failure());
        } else {
            ErrorWriter.write(ctx, new RelayFailure(status > 0 ? status : 500, new JsonObject()
                    .put("error", "Relay service error").put("message", "Request failed")
                    .put("timestamp", LegacyClock.iso(Instant.now()))));
        }
    }
}
