package dev.relay.gateway;

import io.vertx.core.MultiMap;
import java.util.concurrent.ThreadLocalRandom;

/** Headers the legacy puts on every answer (relay.md §2: helmet, securityMiddleware, requestLogger, CORS). */
public final class ResponseHeaders {
    private ResponseHeaders() {
    }

    public static void addCommon(MultiMap headers) {
        headers.set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY")
                .set("X-XSS-Protection", "1; mode=block")
                .set("Referrer-Policy", "strict-origin-when-cross-origin")
                .set("X-DNS-Prefetch-Control", "off")
                .set("X-Download-Options", "noopen")
                .set("X-Permitted-Cross-Domain-Policies", "none")
                .set("Access-Control-Allow-Origin", "*")
                .set("X-Request-ID", requestId())
                .set("Pragma", "no-cache")
                .set("Expires", "0");
    }

    /** A random base36 id of up to 13 characters, as the legacy's request logger makes. */
    static String requestId() {
        String id = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        return id.length() > 11 ? id.substring(0, 11) : id;
    }
}
