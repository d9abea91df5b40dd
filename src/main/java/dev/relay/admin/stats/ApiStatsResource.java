package dev.relay.admin.stats;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.RequestBody;
import dev.relay.auth.ApiKeyStore;
import dev.relay.config.Secrets;
import dev.relay.store.ApiKeyHasher;
import dev.relay.store.StatsLookupThrottle;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The public statistics page's key look-up (admin-and-postgres.md §2.21; fixture 23): {@code POST
 * /apiStats/api/get-key-id}. No session; a client address that keeps presenting unknown keys is refused with 429
 * (20 look-ups per 10 minutes without a success; the legacy has no limit).
 */
@Path("/apiStats/api")
@Consumes(MediaType.WILDCARD)
public class ApiStatsResource {
    static final long WINDOW_SECONDS = 600;
    static final long MAX_LOOKUPS = 20;

    private final ApiKeyStore keys;
    private final StatsLookupThrottle throttle;
    private final String encryptionKey;
    private final String prefix;
    private final MeterRegistry meters;

    public ApiStatsResource(ApiKeyStore keys, StatsLookupThrottle throttle, Secrets secrets,
            dev.relay.config.RelayConfig config, MeterRegistry meters) {
        this.keys = keys;
        this.throttle = throttle;
        this.encryptionKey = secrets.encryptionKey();
        this.prefix = config.security().apiKeyPrefix();
        this.meters = meters;
    }

    @POST
    @Path("/get-key-id")
    public Uni<Response> keyId(@HeaderParam("Content-Type") String type, String raw, RoutingContext ctx) {
        Object apiKey = RequestBody.parse(type, raw).getValue("apiKey");
        if (apiKey == null || "".equals(apiKey)) {
            return done(error(400, "API Key is required", "Please provide your API Key"));
        }
        if (!(apiKey instanceof String key) || key.length() < 10 || key.length() > 512) {
            return done(error(400, "Invalid API key format", "API key format is invalid"));
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        Future<Response> reply = throttle.attempt(address, WINDOW_SECONDS, MAX_LOOKUPS).compose(verdict -> {
            if (verdict.refused()) {
                meters.counter("relay_apistats_lookups_total", "outcome", "throttled").increment();
                return Future.succeededFuture(Response.fromResponse(error(429, "Too many requests",
                                "Too many failed API key look-ups; try again in " + verdict.retryAfterSeconds() + " seconds"))
                        .header("Retry-After", verdict.retryAfterSeconds()).build());
            }
            if (!key.startsWith(prefix)) {
                return Future.succeededFuture(refused("Invalid API key format"));
            }
            return keys.findByHash(ApiKeyHasher.hash(key, encryptionKey)).compose(found -> {
                if (found.isEmpty()) {
                    return Future.succeededFuture(refused("API key not found"));
                }
                if (!found.get().active()) {
                    return Future.succeededFuture(refused("API Key \"" + found.get().name() + "\" 已被禁用"));
                }
                meters.counter("relay_apistats_lookups_total", "outcome", "found").increment();
                return throttle.succeeded(address).otherwiseEmpty().map(v -> AdminReplies.data(
                        new JsonObject().put("id", found.get().id())));
            });
        });
        return uni(reply.recover(e -> Future.succeededFuture(
                error(500, "Internal server error", "Failed to retrieve API key ID"))));
    }

    private Response refused(String message) {
        meters.counter("relay_apistats_lookups_total", "outcome", "refused").increment();
        return error(401, "Invalid API key", message);
    }

    private static Uni<Response> done(Response response) {
        return Uni.createFrom().item(response);
    }
}
