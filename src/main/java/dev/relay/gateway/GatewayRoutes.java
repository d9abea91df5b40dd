package dev.relay.gateway;

import dev.relay.auth.ApiKey;
import dev.relay.auth.ApiKeyAuthenticator;
import dev.relay.auth.ApiKeyAuthenticator.RequestFacts;
import dev.relay.auth.ApiKeyExtractor;
import dev.relay.failure.RelayFailure;
import dev.relay.store.RedisUnavailable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.inject.Singleton;
import java.util.function.Function;

/**
 * What every client API's routes share on the Vert.x router (the hot path; the admin API uses RESTEasy): the body
 * handler with relay's limit, its refusals, and GETs answered from the authenticated key alone. Each client API
 * registers its own paths (e.g. {@code api.anthropic.AnthropicRoutes}).
 */
@Singleton
public class GatewayRoutes {
    private final ApiKeyAuthenticator auth;
    private final Vertx vertx;
    private final BodyLimit limit;

    public GatewayRoutes(ApiKeyAuthenticator auth, Vertx vertx, BodyLimit limit) {
        this.auth = auth;
        this.vertx = vertx;
        this.limit = limit;
    }

    /** Reads the whole body, up to relay's limit. */
    public BodyHandler body() {
        return BodyHandler.create(false).setBodyLimit(limit.maxBytes()).setHandleFileUploads(false);
    }

    /**
     * Serves {@code path} with POST through the body handler; a body over the limit is refused in the client API's
     * format ({@code tooLarge} gets the limit as text).
     */
    public void post(Router router, String path, Handler<RoutingContext> handler,
            Function<String, RelayFailure> tooLarge) {
        limit.refuseInOwnFormat(path, tooLarge);
        router.post(path).handler(body()).handler(handler).failureHandler(this::failed);
    }

    /** A GET answered from the authenticated key alone (models list, /v1/me, organization usage). */
    public void fromKey(RoutingContext ctx, Function<ApiKey, Future<JsonObject>> answer) {
        RelayExchange exchange = new RelayExchange(vertx);
        ctx.response().closeHandler(v -> exchange.finish());
        auth.authenticate(new RequestFacts(ApiKeyExtractor.extract(ctx.request()), ctx.normalizedPath(), false, null,
                allowed -> true, () -> ctx.response().closed(), () -> { })).onComplete(ar -> {
                    if (ar.failed()) {
                        ClientAnswer.error(ctx, ar.cause());
                        return;
                    }
                    exchange.hold(ar.result().lease());
                    answer.apply(ar.result().key()).onComplete(body -> {
                        exchange.finish();
                        if (body.failed() && body.cause() instanceof RedisUnavailable) {
                            ClientAnswer.error(ctx, body.cause());
                            return;
                        }
                        if (body.failed()) {
                            ClientAnswer.error(ctx, RelayFailure.plain(500, "Failed to get usage stats",
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
    public void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413) {
            ClientAnswer.error(ctx, limit.refusal(ctx.normalizedPath()));
        } else if (ctx.failure() != null) {
            ClientAnswer.error(ctx, ctx.failure());
        } else {
            ClientAnswer.error(ctx, RelayFailure.serviceError(status > 0 ? status : 500, "Request failed"));
        }
    }
}
