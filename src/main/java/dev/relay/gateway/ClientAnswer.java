package dev.relay.gateway;

import dev.relay.failure.RelayFailure;
import dev.relay.store.RedisUnavailable;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * The one place that writes answers to the client: relay's own refusals, upstream answers passed on, and the head
 * of an event stream. Each write is skipped when the client already left; the body's format is the client API's
 * business, decided before it gets here.
 */
public final class ClientAnswer {
    private static final Logger LOG = Logger.getLogger(ClientAnswer.class);

    private ClientAnswer() {
    }

    /** A failure as an HTTP answer; after the head went out, the response is only ended. */
    public static void error(RoutingContext ctx, Throwable failure) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.closed() || response.ended()) {
            if (!response.ended() && !response.closed()) {
                response.end();
            }
            return;
        }
        RelayFailure relayFailure = failure instanceof RelayFailure f ? f : internal(failure);
        ResponseHeaders.addCommon(response.headers());
        response.headers().set("Cache-Control", "no-cache, no-store, must-revalidate");
        relayFailure.headers().forEach(response::putHeader);
        response.setStatusCode(relayFailure.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .end(relayFailure.body().toBuffer());
    }

    /** A JSON body relay made itself (e.g. a local answer), with extra headers. */
    public static void json(HttpServerResponse response, int status, JsonObject body, MultiMap extra) {
        if (response.closed()) {
            return;
        }
        ResponseHeaders.addCommon(response.headers());
        extra.forEach(response::putHeader);
        response.putHeader("Content-Type", "application/json; charset=utf-8").setStatusCode(status)
                .end(body.toBuffer());
    }

    /** A whole upstream answer: its status and headers ({@link UpstreamResponseHeaders}), relay's common headers. */
    public static void forward(HttpServerResponse response, int status, MultiMap upstreamHeaders, Buffer body) {
        if (response.closed()) {
            return;
        }
        UpstreamResponseHeaders.copy(upstreamHeaders, response.headers());
        ResponseHeaders.addCommon(response.headers());
        response.headers().set("Cache-Control", "no-cache, no-store, must-revalidate");
        response.setStatusCode(status).end(body);
    }

    /**
     * An upstream error answering a stream request: JSON with the stream's cache header (relay.md §6.1), and the
     * upstream's headers like any other answer ({@code retry-after}, {@code x-should-retry}, {@code request-id}).
     */
    public static void streamRequestError(HttpServerResponse response, int status, MultiMap upstreamHeaders,
            Buffer body) {
        if (response.closed()) {
            return;
        }
        UpstreamResponseHeaders.copy(upstreamHeaders, response.headers());
        ResponseHeaders.addCommon(response.headers());
        response.headers().set("Cache-Control", "no-cache");
        response.putHeader("Content-Type", "application/json");
        response.setStatusCode(status).end(body);
    }

    /** Writes the head of an event stream (status 200 unless set before); events follow with write(). */
    public static void openEventStream(HttpServerResponse response) {
        openEventStream(response, null);
    }

    /** The head of an upstream's event stream passed on: its headers first, as for a whole answer. */
    public static void openEventStream(HttpServerResponse response, MultiMap upstreamHeaders) {
        UpstreamResponseHeaders.copy(upstreamHeaders, response.headers());
        ResponseHeaders.addCommon(response.headers());
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Connection", "keep-alive")
                .putHeader("X-Accel-Buffering", "no");
    }

    private static RelayFailure internal(Throwable failure) {
        if (failure instanceof RedisUnavailable) {
            return RelayFailure.storageUnavailable(); // logged once per outage, by store.RedisAvailability
        }
        LOG.errorf(failure, "unexpected relay failure");
        return RelayFailure.plain(500, "Relay service error", "Internal server error");
    }
}
