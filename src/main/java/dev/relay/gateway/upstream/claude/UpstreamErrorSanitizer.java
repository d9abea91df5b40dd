package dev.relay.gateway.upstream.claude;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * Strips what identifies a third-party upstream from Console error bodies before the client sees them
 * (utils/errorSanitizer.js, relay.md §5.3): URLs, "for more details"/"visit"/"contact us" phrases and known
 * reseller names; a result shorter than 5 characters becomes a generic text.
 */
public final class UpstreamErrorSanitizer {
    private static final Pattern NOISE = Pattern.compile(
            "https?://\\S+|For more details[^.]*\\.?|visit\\s+\\S+|see our\\s+\\S+|contact us at\\s+\\S+"
                    + "|(?:88code|duck|packy|ikun|privnode|yescode|yes\\.vg|share|yhlxj|gac|driod)\\S*",
            Pattern.CASE_INSENSITIVE);
    static final String GENERIC = "The requested model is currently unavailable";

    private UpstreamErrorSanitizer() {
    }

    public static String text(String input) {
        if (input == null) {
            return null;
        }
        String cleaned = NOISE.matcher(input).replaceAll("").replaceAll("\\s+", " ").trim();
        return cleaned.length() < 5 ? GENERIC : cleaned;
    }

    public static JsonObject json(JsonObject input) {
        JsonObject out = new JsonObject();
        input.forEach(e -> out.put(e.getKey(), value(e.getValue())));
        return out;
    }

    private static Object value(Object v) {
        if (v instanceof String s) {
            return text(s);
        }
        if (v instanceof JsonObject o) {
            return json(o);
        }
        if (v instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            a.forEach(x -> out.add(value(x)));
            return out;
        }
        return v;
    }
}
