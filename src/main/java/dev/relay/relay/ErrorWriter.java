package dev.relay.relay;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/** The one place that turns a failure into an HTTP answer to the client. */
public final class ErrorWriter {
    private static final Logger LOG = Logger.getLogger(ErrorWriter.class);

    private ErrorWriter() {
    }

    public static void write(RoutingContext ctx, Throwable failure) {
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

    private static RelayFailure internal(Throwable failure) {
        LOG.errorf(failure, "unexpected relay failure");
        return RelayFailure.plain(500, "Relay service error", "Internal server error");
    }
}
