package dev.relay.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The legacy's two CORS behaviours (relay.md §2; fixture 24-static-and-cors), chosen by {@code ENABLE_CORS}.
 * Neither enforces anything server-side: a request from a foreign origin is served as any other, and every
 * {@code OPTIONS} request, on any path, is a preflight answered 204.
 */
public enum CorsPolicy {
    /** {@code ENABLE_CORS=true}: the {@code cors} package with its defaults. */
    ALLOW_ALL {
        @Override
        void addToAnswer(HttpServerRequest request, MultiMap headers) {
            headers.set(ALLOW_ORIGIN, "*");
        }

        @Override
        void addToPreflight(HttpServerRequest request, MultiMap headers) {
            headers.set(ALLOW_ORIGIN, "*").set("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
            headers.add("Vary", "Access-Control-Request-Headers");
            List<String> requested = request.headers().getAll("Access-Control-Request-Headers");
            String reflected = String.join(", ", requested);
            if (!reflected.isEmpty()) {
                headers.set("Access-Control-Allow-Headers", reflected);
            }
        }
    },

    /** Any other value: the legacy's own middleware, which names its headers and echoes only local origins. */
    LOCAL_ORIGINS {
        @Override
        void addToAnswer(HttpServerRequest request, MultiMap headers) {
            String origin = request.getHeader("Origin");
            if (origin == null || origin.isEmpty()) {
                headers.set(ALLOW_ORIGIN, "*");
            } else if (ALLOWED_ORIGINS.contains(origin) || origin.startsWith("chrome-extension://")) {
                headers.set(ALLOW_ORIGIN, origin);
            }
            headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
                    .set("Access-Control-Allow-Headers", "Origin, X-Requested-With, Content-Type, Accept, "
                            + "Authorization, x-api-key, x-goog-api-key, api-key, x-admin-token, anthropic-version, "
                            + "anthropic-dangerous-direct-browser-access")
                    .set("Access-Control-Expose-Headers", "X-Request-ID, Content-Type")
                    .set("Access-Control-Max-Age", "86400")
                    .set("Access-Control-Allow-Credentials", "true");
        }

        @Override
        void addToPreflight(HttpServerRequest request, MultiMap headers) {
            addToAnswer(request, headers);
        }
    };

    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    private static final List<String> ALLOWED_ORIGINS = List.of("http://localhost:3000", "https://localhost:3000",
            "http://127.0.0.1:3000", "https://127.0.0.1:3000");

    /** Exactly {@code true} selects {@link #ALLOW_ALL}, as the legacy compares {@code ENABLE_CORS}. */
    public static CorsPolicy of(String enableCors) {
        return "true".equals(enableCors) ? ALLOW_ALL : LOCAL_ORIGINS;
    }

    /** The CORS headers of every answer that is not a preflight. */
    abstract void addToAnswer(HttpServerRequest request, MultiMap headers);

    /** The CORS headers of a preflight's 204. */
    abstract void addToPreflight(HttpServerRequest request, MultiMap headers);
}
