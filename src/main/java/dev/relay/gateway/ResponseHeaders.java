package dev.relay.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Headers the legacy puts on every answer (relay.md §2; fixture 24-static-and-cors). Its middleware runs helmet
 * (with COOP, CSP and Origin-Agent-Cluster switched off), then CORS ({@link CorsPolicy}), then the request logger's
 * {@code X-Request-ID}, then its own security middleware, which overwrites three of helmet's values.
 */
public final class ResponseHeaders {
    private static final String REQUEST_ID = "X-Request-ID";

    private ResponseHeaders() {
    }

    /**
     * helmet, the request id and the security middleware's fixed headers. The request id set at the start of a
     * request ({@link RouterEdge}) is kept, so one answer carries one id however often this is called.
     */
    public static void addCommon(MultiMap headers) {
        addHelmet(headers);
        headers.set("X-Frame-Options", "DENY")
                .set("X-XSS-Protection", "1; mode=block")
                .set("Referrer-Policy", "strict-origin-when-cross-origin")
                .set("Cache-Control", "no-cache, no-store, must-revalidate")
                .set("Pragma", "no-cache")
                .set("Expires", "0");
        String id = headers.get(REQUEST_ID);
        headers.set(REQUEST_ID, id != null ? id : requestId());
    }

    /**
     * helmet's own values, the only security headers of an answer that ends before the legacy's security
     * middleware runs (a CORS preflight).
     */
    static void addHelmet(MultiMap headers) {
        headers.set("Cross-Origin-Resource-Policy", "same-origin")
                .set("Referrer-Policy", "no-referrer")
                .set("Strict-Transport-Security", "max-age=15552000; includeSubDomains")
                .set("X-Content-Type-Options", "nosniff")
                .set("X-DNS-Prefetch-Control", "off")
                .set("X-Download-Options", "noopen")
                .set("X-Frame-Options", "SAMEORIGIN")
                .set("X-Permitted-Cross-Domain-Policies", "none")
                .set("X-XSS-Protection", "0");
    }

    /**
     * The security middleware's headers that depend on the request: COOP and Origin-Agent-Cluster only when the
     * Host names a local address or the request came over HTTPS (directly or as told by the proxy in front).
     */
    static void addForRequest(HttpServerRequest request, MultiMap headers) {
        if (localHost(request) || https(request)) {
            headers.set("Cross-Origin-Opener-Policy", "same-origin")
                    .set("Cross-Origin-Resource-Policy", "same-origin")
                    .set("Origin-Agent-Cluster", "?1");
        }
    }

    private static boolean localHost(HttpServerRequest request) {
        String host = request.getHeader("Host");
        if (host == null && request.authority() != null) {
            host = request.authority().toString();
        }
        // substring tests, as the legacy makes them
        return host != null && (host.contains("localhost") || host.contains("127.0.0.1") || host.contains("0.0.0.0"));
    }

    private static boolean https(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        // with the legacy's TRUST_PROXY the first X-Forwarded-Proto value is the protocol
        String proto = request.getHeader("X-Forwarded-Proto");
        if (proto == null) {
            return false;
        }
        int comma = proto.indexOf(',');
        return (comma < 0 ? proto : proto.substring(0, comma)).trim().equals("https");
    }

    /** A random base36 id of up to 13 characters, as the legacy's request logger makes. */
    static String requestId() {
        String id = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        return id.length() > 11 ? id.substring(0, 11) : id;
    }
}
