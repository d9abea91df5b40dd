package dev.relay.gateway;

import dev.relay.auth.AuthorizedKey;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * One authorised client request on its way through the pipeline.
 *
 * @param exchange the resources it holds, released exactly once
 * @param sessionHash the sticky-session key of the request, or null
 */
public record Flight(RoutingContext ctx, RelayExchange exchange, AuthorizedKey key, ClientRequest request,
        String sessionHash, Instant startedAt) {
}
