package dev.relay.gateway;

import dev.relay.config.RelayConfig;
import dev.relay.failure.RelayFailure;
import dev.relay.store.LegacyClock;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * What the legacy's middleware answers around its routes (relay.md §2, fixture 24-static-and-cors), for every path
 * the router serves, Quarkus' own included: a CORS preflight, the legacy's headers on every answer, a body announced
 * over the limit, and the catch-all 404 of a path nobody serves.
 */
@Singleton
public class RouterEdge {
    /**
     * Before Quarkus' own body-size check (order -2), which would answer an announced oversized body with a bare
     * 413, and before every route.
     */
    static final int ORDER = -3;

    private final CorsPolicy cors;
    private final BodyLimit limit;

    public RouterEdge(RelayConfig config, BodyLimit limit) {
        this.cors = CorsPolicy.of(config.enableCors());
        this.limit = limit;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::onRequest);
        // no route for the path (404), or none for its method (405): the legacy's catch-all knows neither
        router.errorHandler(404, this::notFound);
        router.errorHandler(405, this::notFound);
    }

    private void onRequest(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        MultiMap headers = ctx.response().headers();
        if (request.method() == HttpMethod.OPTIONS) {
            // the CORS middleware ends every OPTIONS request before the legacy's security middleware and logger run
            ResponseHeaders.addHelmet(headers);
            cors.addToPreflight(request, headers);
            ctx.response().setStatusCode(204).end();
            return;
        }
        ResponseHeaders.addCommon(headers);
        cors.addToAnswer(request, headers);
        ResponseHeaders.addForRequest(request, headers);
        if (announcedLength(request) > limit.maxBytes()) {
            refuseBody(ctx);
            return;
        }
        ctx.next();
    }

    /**
     * A body announced over the limit is refused from its headers, before any of it is read, and an HTTP/1 connection
     * is closed rather than drained (HTTP/2 has no such header, and other streams share the connection). Chunked
     * bodies are refused by the routes' body handler when they cross the limit.
     */
    private void refuseBody(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(v -> ctx.request().connection().close());
        }
        ClientAnswer.error(ctx, limit.refusal(ctx.normalizedPath()));
    }

    private static long announcedLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The legacy's catch-all: {@code message} holds the URL as the client sent it, query string included. */
    private void notFound(RoutingContext ctx) {
        ClientAnswer.error(ctx, new RelayFailure(404, new JsonObject().put("error", "Not Found")
                .put("message", "Route " + ctx.request().uri() + " not found")
                .put("timestamp", LegacyClock.iso(Instant.now()))));
    }
}
