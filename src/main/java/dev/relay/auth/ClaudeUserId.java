package dev.relay.auth;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude Code's {@code metadata.user_id} in either format it has used (relay.md §13): the legacy string
 * {@code user_<64 hex>_account_<uuid or empty>_session_<uuid>} and, since 2.1.78, a JSON string
 * {@code {"device_id":"<64 hex>","account_uuid":"","session_id":"<uuid>"}}.
 */
public record ClaudeUserId(String deviceId, String accountUuid, String sessionId, boolean json) {
    private static final Pattern LEGACY =
            Pattern.compile("^user_([a-fA-F0-9]{64})_account_([\\w-]*)_session_([\\w-]+)$");
    private static final Pattern UUID_LIKE = Pattern.compile("^[a-f0-9-]{36}$");
    private static final Pattern LEGACY_SESSION = Pattern.compile("session_([a-f0-9-]{36})");

    /** Null when the value is in neither format. */
    public static ClaudeUserId parse(String userId) {
        if (userId == null || userId.isEmpty()) {
            return null;
        }
        if (userId.startsWith("{")) {
            try {
                JsonObject o = new JsonObject(userId);
                Object device = o.getValue("device_id");
                Object session = o.getValue("session_id");
                if (device instanceof String d && session instanceof String s && !s.isEmpty()) {
                    Object account = o.getValue("account_uuid");
                    return new ClaudeUserId(d, account instanceof String a ? a : "", s, true);
                }
            } catch (DecodeException | ClassCastException e) {
                return null;
            }
            return null;
        }
        Matcher m = LEGACY.matcher(userId);
        return m.matches() ? new ClaudeUserId(m.group(1), m.group(2), m.group(3), false) : null;
    }

    /**
     * The conversation id used for stickiness: the legacy's first {@code session_<36 chars>} match in the raw
     * string, or the JSON {@code session_id} when it is UUID-shaped. Null when neither applies.
     */
    public static String stickySessionId(String userId) {
        if (userId == null) {
            return null;
        }
        Matcher m = LEGACY_SESSION.matcher(userId);
        if (m.find()) {
            return m.group(1);
        }
        ClaudeUserId parsed = parse(userId);
        if (parsed != null && parsed.json && UUID_LIKE.matcher(parsed.sessionId).matches()) {
            return parsed.sessionId;
        }
        return null;
    }
}
