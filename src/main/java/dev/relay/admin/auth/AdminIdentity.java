package dev.relay.admin.auth;

import io.vertx.ext.web.RoutingContext;

/** The admin a request was let through for ({@link AdminGate}); the legacy's {@code req.admin}. */
public record AdminIdentity(String username, String token, String loginTime) {
    static final String CONTEXT_KEY = "relay.admin";

    /** The admin of a request that passed the gate; null on a public route. */
    public static AdminIdentity of(RoutingContext ctx) {
        return ctx.get(CONTEXT_KEY);
    }
}
