package dev.relay.gateway;

import io.vertx.core.Future;

/**
 * How an upstream request proves the account: a static key in the header its upstream expects, an OAuth bearer
 * refreshed under the legacy's lock, a SigV4 signature over the body, Google credentials. Applied last, just
 * before the request is sent, so a signature covers the final bytes.
 */
public interface Credential {
    /** Adds the account's authentication to the request; may first refresh a token (hence the future). */
    Future<Void> authenticate(OutboundRequest request);
}
