package dev.relay.scheduler;

import dev.relay.auth.ClaudeUserId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The sticky-session hash of a Claude Messages body (redis-keys.md §2.7, relay.md §4.1). Differs from the legacy
 * in one deliberate way: a JSON-format {@code metadata.user_id} (Claude Code ≥ 2.1.78) yields its session id,
 * where the legacy falls through to content hashing (see docs/redis-compat.md).
 */
public final class SessionHash {
    /** The legacy's only session pattern (relay.md §4.1 step 1). */
    private static final Pattern LEGACY_SESSION = Pattern.compile("session_([a-f0-9-]{36})");
    private SessionHash() {
    }

    /** Null when the body gives nothing to stick on. */
    public static String of(JsonObject body) {
        String userId = userId(body);
        if (userId != null) {
            String session = ClaudeUserId.stickySessionId(userId);
            if (session != null) {
                return session;
            }
        }
        return contentHash(body);
    }

    /**
     * The key the legacy uses for this body when it differs from {@link #of}: a JSON-format {@code user_id} (Claude
     * Code ≥ 2.1.78) does not match the legacy's {@code session_<uuid>} pattern, so the legacy keys the conversation
     * by its content hash (relay.md §4.1). Null when both agree.
     */
    public static String legacyOf(JsonObject body) {
        String userId = userId(body);
        if (userId == null || LEGACY_SESSION.matcher(userId).find() || ClaudeUserId.stickySessionId(userId) == null) {
            return null;
        }
        return contentHash(body);
    }

    private static String userId(JsonObject body) {
        JsonObject metadata = body.getValue("metadata") instanceof JsonObject m ? m : null;
        return metadata != null && metadata.getValue("user_id") instanceof String userId ? userId : null;
    }

    /** Steps 2–6 of redis-keys.md §2.7: cacheable content, else system text, else the first message's text. */
    private static String contentHash(JsonObject body) {
        Object system = body.getValue("system");
        JsonArray messages = body.getValue("messages") instanceof JsonArray a ? a : new JsonArray();

        StringBuilder cacheable = new StringBuilder();
        if (system instanceof JsonArray parts) {
            for (Object part : parts) {
                if (part instanceof JsonObject p && isEphemeral(p.getValue("cache_control"))) {
                    cacheable.append(p.getValue("text") instanceof String t ? t : "");
                }
            }
        }
        for (Object message : messages) {
            if (message instanceof JsonObject m && cacheMarked(m)) {
                String first = firstMessageText(messages);
                if (first != null) {
                    cacheable.append(first);
                }
                break;
            }
        }
        if (!cacheable.isEmpty()) {
            return sha256Prefix(cacheable.toString());
        }
        String systemText = systemText(system);
        if (!systemText.isEmpty()) {
            return sha256Prefix(systemText);
        }
        String first = firstMessageText(messages);
        return first == null ? null : sha256Prefix(first);
    }

    private static boolean isEphemeral(Object cacheControl) {
        return cacheControl instanceof JsonObject c && "ephemeral".equals(c.getValue("type"));
    }

    private static boolean cacheMarked(JsonObject message) {
        Object content = message.getValue("content");
        if (content instanceof JsonArray parts) {
            for (Object part : parts) {
                if (part instanceof JsonObject p && isEphemeral(p.getValue("cache_control"))) {
                    return true;
                }
            }
            return false;
        }
        return content instanceof String && isEphemeral(message.getValue("cache_control"));
    }

    private static String firstMessageText(JsonArray messages) {
        for (Object message : messages) {
            if (message instanceof JsonObject m) {
                String text = messageText(m.getValue("content"));
                if (text != null && !text.isEmpty()) {
                    return text;
                }
            }
        }
        return null;
    }

    private static String messageText(Object content) {
        return joinedText(content, true);
    }

    private static String systemText(Object system) {
        String text = joinedText(system, false);
        return text == null ? "" : text;
    }

    /**
     * A string as it is, or the {@code text} of an array's parts joined; the legacy takes only {@code type: text}
     * parts of a message but every part of the system prompt. Null for anything else.
     */
    private static String joinedText(Object value, boolean textPartsOnly) {
        if (value instanceof String s) {
            return s;
        }
        if (!(value instanceof JsonArray parts)) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof JsonObject p && (!textPartsOnly || "text".equals(p.getValue("type")))
                    && p.getValue("text") instanceof String t) {
                b.append(t);
            }
        }
        return b.toString();
    }

    static String sha256Prefix(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
