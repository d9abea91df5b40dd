package dev.relay.admin.http;

import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A body as Express' {@code json()} and {@code urlencoded()} parsers leave it: an object, empty when the body is
 * missing, not an object, or in another format.
 */
public final class RequestBody {
    private RequestBody() {
    }

    public static JsonObject parse(String contentType, String body) {
        if (body == null || body.isBlank()) {
            return new JsonObject();
        }
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return form(body);
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(body);
            return parsed instanceof JsonObject object ? object : new JsonObject();
        } catch (RuntimeException notJson) {
            return new JsonObject();
        }
    }

    private static JsonObject form(String body) {
        JsonObject fields = new JsonObject();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (!name.isEmpty()) {
                fields.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return fields;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** A string field, or null when missing, not a string or empty (the legacy's falsy check). */
    public static String text(JsonObject body, String field) {
        Object value = body.getValue(field);
        return value instanceof String s && !s.isEmpty() ? s : null;
    }
}
