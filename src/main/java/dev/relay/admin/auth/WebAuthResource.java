package dev.relay.admin.auth;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.RequestBody;
import dev.relay.store.AdminSessions;
import dev.relay.store.LegacyClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.relay.config.RelayConfig;
import org.jboss.logging.Logger;

/** {@code /web/auth/*}: the dashboard's login, current user, refresh, logout and password change (§1.2–§1.7). */
@Path("/web/auth")
@Consumes(MediaType.WILDCARD)
public class WebAuthResource {
    private static final Logger LOG = Logger.getLogger(WebAuthResource.class);
    private static final String CSP = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' "
            + "https://unpkg.com https://cdn.tailwindcss.com https://cdnjs.cloudflare.com https://cdn.jsdelivr.net "
            + "https://cdn.bootcdn.net; style-src 'self' 'unsafe-inline' https://cdn.tailwindcss.com "
            + "https://cdnjs.cloudflare.com https://cdn.bootcdn.net; font-src 'self' https://cdnjs.cloudflare.com "
            + "https://cdn.bootcdn.net; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'self'; form-action 'self'";

    private final AdminLogin login;
    private final AdminSessions sessions;
    private final MeterRegistry meters;
    /** {@code ADMIN_SESSION_TIMEOUT}: what the legacy answers as {@code expiresIn} (milliseconds). */
    private final long sessionTimeoutMs;

    public WebAuthResource(AdminLogin login, AdminSessions sessions, MeterRegistry meters, RelayConfig config) {
        this.login = login;
        this.sessions = sessions;
        this.meters = meters;
        this.sessionTimeoutMs = config.admin().sessionTimeoutMs();
    }

    @POST
    @Path("/login")
    public Uni<Response> login(@HeaderParam("Content-Type") String contentType, String rawBody, RoutingContext ctx) {
        JsonObject body = RequestBody.parse(contentType, rawBody);
        String username = RequestBody.text(body, "username");
        String password = RequestBody.text(body, "password");
        if (username == null || password == null) {
            return done(error(400, "Missing credentials", "Username and password are required"));
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        return answer(login.login(address, username, password).map(outcome -> loginAnswer(outcome, address)),
                "Login failed");
    }

    private Response loginAnswer(AdminLogin.Outcome outcome, String address) {
        if (outcome instanceof AdminLogin.LoggedIn in) {
            count("ok");
            return AdminReplies.ok(new JsonObject().put("success", true).put("token", in.token())
                    .put("expiresIn", sessionTimeoutMs).put("username", in.username()));
        }
        if (outcome instanceof AdminLogin.Throttled throttled) {
            count("throttled");
            LOG.warnf("admin login throttled for %s", address);
            return Response.fromResponse(error(429, "Too many login attempts",
                            "Too many failed logins; try again in " + throttled.retryAfterSeconds() + " seconds"))
                    .header("Retry-After", throttled.retryAfterSeconds()).build();
        }
        count("refused");
        return error(401, "Invalid credentials", "Invalid username or password");
    }

    @GET
    @Path("/user")
    public Uni<Response> user(@HeaderParam("Authorization") String authorization) {
        return withSession(authorization, "Authentication failed", (token, session) -> login.storedOrReloaded()
                .map(stored -> stored.isEmpty()
                        ? error(500, "Admin data not found", "Administrator credentials not found")
                        : AdminReplies.ok(new JsonObject().put("success", true).put("user", new JsonObject()
                                .put("username", stored.get().username())
                                .put("loginTime", session.get("loginTime"))
                                .put("lastActivity", session.get("lastActivity"))))));
    }

    /** Same token, new {@code lastActivity}; the TTL is 24 h in seconds (the legacy passes its milliseconds). */
    @POST
    @Path("/refresh")
    public Uni<Response> refresh(@HeaderParam("Authorization") String authorization) {
        return withSession(authorization, "Token refresh failed", (token, session) -> {
            Map<String, String> touched = new LinkedHashMap<>(session);
            touched.put("lastActivity", LegacyClock.iso(Instant.now()));
            return sessions.save(token, touched, AdminGate.SESSION_TTL_SECONDS).map(v -> AdminReplies.ok(
                    new JsonObject().put("success", true).put("token", token).put("expiresIn", sessionTimeoutMs)));
        });
    }

    @POST
    @Path("/logout")
    public Uni<Response> logout(@HeaderParam("Authorization") String authorization) {
        String token = AdminTokens.forWebAuth(authorization);
        Future<Void> deleted = token == null ? Future.succeededFuture() : sessions.delete(token);
        return answer(deleted.map(v -> AdminReplies.ok(
                new JsonObject().put("success", true).put("message", "Logout successful"))), "Logout failed");
    }

    @POST
    @Path("/change-password")
    public Uni<Response> changePassword(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, String rawBody) {
        JsonObject body = RequestBody.parse(contentType, rawBody);
        return withSession(authorization, "Update failed", (token, session) -> {
            String current = RequestBody.text(body, "currentPassword");
            String next = RequestBody.text(body, "newPassword");
            if (current == null || next == null) {
                return Future.succeededFuture(error(400, "Missing required fields",
                        "Current password and new password are required"));
            }
            if (next.length() < 8) {
                return Future.succeededFuture(error(400, "Password too short",
                        "New password must be at least 8 characters long"));
            }
            String wanted = RequestBody.text(body, "newUsername");
            String newUsername = wanted == null || wanted.trim().isEmpty() ? null : wanted.trim();
            return login.changePassword(token, current, next, newUsername).compose(change -> switch (change) {
                case NO_CREDENTIALS -> Future.succeededFuture(
                        error(500, "Admin data not found", "Administrator credentials not found"));
                case WRONG_PASSWORD -> Future.succeededFuture(
                        error(401, "Invalid current password", "Current password is incorrect"));
                case CHANGED -> login.storedOrReloaded().map(stored -> AdminReplies.ok(new JsonObject()
                        .put("success", true).put("message", "Password changed successfully. Please login again.")
                        .put("newUsername", stored.map(s -> s.username()).orElse(newUsername))));
            });
        });
    }

    interface SessionAction {
        Future<Response> apply(String token, Map<String, String> session);
    }

    /** The {@code /web/auth} session checks: token from {@code Authorization} only, no inactivity check. */
    private Uni<Response> withSession(String authorization, String failure, SessionAction action) {
        String token = AdminTokens.forWebAuth(authorization);
        if (token == null) {
            return done(error(401, "No token provided", "Authentication required"));
        }
        return answer(sessions.find(token).compose(session -> {
            if (session.isEmpty()) {
                return Future.succeededFuture(error(401, "Invalid token", "Session expired or invalid"));
            }
            if (blank(session.get("username")) || blank(session.get("loginTime"))) {
                return sessions.delete(token).map(v -> error(401, "Invalid session", "Session data corrupted or incomplete"));
            }
            return action.apply(token, session);
        }), failure);
    }

    private Uni<Response> answer(Future<Response> reply, String failure) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin auth failed: %s", e.toString());
            return Future.succeededFuture(error(500, failure, "Internal server error"));
        })).map(WebAuthResource::withCsp);
    }

    private static Uni<Response> done(Response response) {
        return Uni.createFrom().item(withCsp(response));
    }

    /** The legacy sends its Content-Security-Policy on {@code /web/*} answers. */
    private static Response withCsp(Response response) {
        return Response.fromResponse(response).header("Content-Security-Policy", CSP).build();
    }

    private void count(String outcome) {
        meters.counter("relay_admin_logins_total", "outcome", outcome).increment();
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

}
