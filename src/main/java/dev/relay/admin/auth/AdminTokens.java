package dev.relay.admin.auth;

import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Pattern;

/** Where each legacy handler looks for the admin token (admin-and-postgres.md §1.4; fixture 20). */
final class AdminTokens {
    private static final Pattern BEARER = Pattern.compile("^Bearer\\s+", Pattern.CASE_INSENSITIVE);

    private AdminTokens() {
    }

    /**
     * {@code authenticateAdmin}: {@code Authorization} with {@code Bearer } removed in any case (a scheme-less value
     * is the token itself), else {@code x-admin-token}. The {@code adminToken} cookie is never parsed by the legacy.
     */
    static String forAdminRoutes(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            String token = BEARER.matcher(authorization).replaceFirst("");
            if (!token.isEmpty()) {
                return token;
            }
        }
        String header = request.getHeader("x-admin-token");
        return header == null || header.isEmpty() ? null : header;
    }

    /** {@code /web/auth/*}: only {@code Authorization}, with the literal, case-sensitive {@code "Bearer "} removed. */
    static String forWebAuth(String authorization) {
        if (authorization == null) {
            return null;
        }
        String token = authorization.replaceFirst("^Bearer ", "");
        return token.isEmpty() ? null : token;
    }
}
