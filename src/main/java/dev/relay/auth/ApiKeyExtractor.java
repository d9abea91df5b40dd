package dev.relay.auth;

import io.vertx.core.http.HttpServerRequest;
import java.util.regex.Pattern;

/** Finds the client's key the way the legacy does (relay.md §3.1): first non-empty candidate, Bearer stripped. */
public final class ApiKeyExtractor {
    private static final String[] HEADERS = {"x-api-key", "x-goog-api-key", "authorization", "api-key"};
    private static final Pattern BEARER = Pattern.compile("^Bearer\\s+", Pattern.CASE_INSENSITIVE);

    private ApiKeyExtractor() {
    }

    /** Null when no candidate carries a value. */
    public static String extract(HttpServerRequest request) {
        for (String header : HEADERS) {
            for (String value : request.headers().getAll(header)) {
                String key = clean(value);
                if (key != null) {
                    return key;
                }
            }
        }
        return clean(request.getParam("key"));
    }

    private static String clean(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = BEARER.matcher(value.trim()).replaceFirst("").trim();
        return trimmed.isEmpty() ? null : trimmed;
    }
}
