package dev.relay.admin.auth;

import dev.relay.store.AdminSessions;
import dev.relay.store.LegacyClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The legacy's {@code authenticateAdmin} in front of every path under {@code /admin} (admin-and-postgres.md §1.5),
 * routes nobody serves included, so an unknown admin path tells nothing to a caller without a session. Runs on the
 * event loop with non-blocking Redis calls only; a valid session's {@code lastActivity} and 24 h TTL are re-armed
 * without waiting, as the legacy does.
 */
@Singleton
public class AdminGate {
    /** After the router's edge (CORS, headers, body limit) and before every admin route. */
    static final int ORDER = -1;
    static final long SESSION_TTL_SECONDS = 86_400L;
    static final long INACTIVITY_MS = 24L * 3_600_000L;
    private static final long LOOKUP_TIMEOUT_MS = 5_000L;
    private static final Set<String> PUBLIC_GETS = Set.of("/admin/oem-settings", "/admin/oem-settings/");
    private static final Logger LOG = Logger.getLogger(AdminGate.class);

    private final AdminSessions sessions;
    private final Vertx vertx;
    private final MeterRegistry meters;

    public AdminGate(AdminSessions sessions, Vertx vertx, MeterRegistry meters) {
        this.sessions = sessions;
        this.vertx = vertx;
        this.meters = meters;
    }

    void register(@Observes Router router) {
        // an encoded slash too: a resource layer that decodes it must not see an admin path the gate did not
        router.routeWithRegex("^/admin(?:$|/|%2[fF]).*").order(ORDER).handler(this::check);
    }

    static boolean isPublic(HttpMethod method, String path) {
        return (method == HttpMethod.GET || method == HttpMethod.HEAD) && PUBLIC_GETS.contains(path);
    }

    private void check(RoutingContext ctx) {
        if (isPublic(ctx.request().method(), ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String token = AdminTokens.forAdminRoutes(ctx.request());
        if (token == null) {
            refuse(ctx, 401, "missing", "Missing admin token", "Please provide an admin token");
            return;
        }
        if (!AdminSessions.wellFormed(token)) {
            refuse(ctx, 401, "format", "Invalid admin token format", "Admin token format is invalid");
            return;
        }
        withTimeout(sessions.find(token)).onComplete(found -> {
            if (found.failed()) {
                LOG.warnf("admin session lookup failed: %s", found.cause().toString());
                refuse(ctx, 500, "error", "Authentication error", "Internal server error during admin authentication");
                return;
            }
            admit(ctx, token, found.result());
        });
    }

    private void admit(RoutingContext ctx, String token, Map<String, String> session) {
        if (session.isEmpty()) {
            refuse(ctx, 401, "unknown", "Invalid admin token", "Invalid or expired admin session");
            return;
        }
        String username = session.get("username");
        String loginTime = session.get("loginTime");
        if (blank(username) || blank(loginTime)) {
            sessions.delete(token);
            refuse(ctx, 401, "corrupted", "Invalid session", "Session data corrupted or incomplete");
            return;
        }
        Instant now = Instant.now();
        if (idle(session, now)) {
            sessions.delete(token);
            refuse(ctx, 401, "idle", "Session expired", "Admin session has expired due to inactivity");
            return;
        }
        Map<String, String> touched = new LinkedHashMap<>(session);
        touched.put("lastActivity", LegacyClock.iso(now));
        sessions.save(token, touched, SESSION_TTL_SECONDS)
                .onFailure(e -> LOG.debugf("admin session touch failed: %s", e.toString()));
        ctx.put(AdminIdentity.CONTEXT_KEY, new AdminIdentity(username, token, loginTime));
        ctx.next();
    }

    /** {@code now - (lastActivity || loginTime) > 24 h}; a date JavaScript cannot read compares false there too. */
    static boolean idle(Map<String, String> session, Instant now) {
        String last = blank(session.get("lastActivity")) ? session.get("loginTime") : session.get("lastActivity");
        try {
            return now.toEpochMilli() - Instant.parse(last).toEpochMilli() > INACTIVITY_MS;
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return false;
        }
    }

    private <T> Future<T> withTimeout(Future<T> lookup) {
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        long timer = vertx.setTimer(LOOKUP_TIMEOUT_MS,
                t -> promise.tryFail(new IllegalStateException("admin session lookup timed out")));
        lookup.onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                promise.tryComplete(done.result());
            } else {
                promise.tryFail(done.cause());
            }
        });
        return promise.future();
    }

    private void refuse(RoutingContext ctx, int status, String reason, String error, String message) {
        meters.counter("relay_admin_auth_refusals_total", "reason", reason).increment();
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(new JsonObject().put("error", error).put("message", message).encode());
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }
}
