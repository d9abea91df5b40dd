package dev.relay.gateway.api.anthropic;

import dev.relay.scheduler.GlobalSessionBinding.OriginalSession;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the global session binding needs from a Messages body, as the legacy does: the session id at the end
 * of a string {@code metadata.user_id} ({@code …session_<uuid>}; Claude Code's JSON {@code user_id} has none), and
 * whether the request already carries a conversation ({@code isOldSession}: several messages, or one whose user
 * input is more than one text part, or one part without {@code tools}).
 */
final class OriginalSessionReader {
    private static final Pattern SESSION = Pattern.compile("session_([a-f0-9-]{36})$", Pattern.CASE_INSENSITIVE);
    private static final OriginalSession NONE = new OriginalSession(null, false);

    private OriginalSessionReader() {
    }

    static OriginalSession read(JsonObject body) {
        Object metadata = body.getValue("metadata");
        if (!(metadata instanceof JsonObject m) || !(m.getValue("user_id") instanceof String userId)) {
            return NONE;
        }
        Matcher match = SESSION.matcher(userId);
        return match.find() ? new OriginalSession(match.group(1), old(body)) : NONE;
    }

    static boolean old(JsonObject body) {
        if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
            return false;
        }
        if (messages.size() > 1) {
            return true;
        }
        Object content = messages.getValue(0) instanceof JsonObject first ? first.getValue("content") : null;
        boolean tools = hasTools(body.getValue("tools"));
        if (content instanceof String text) {
            return !text.isEmpty() && !tools;
        }
        if (content instanceof JsonArray parts) {
            int inputs = 0;
            for (Object part : parts) {
                if (part instanceof JsonObject p && "text".equals(p.getValue("type"))
                        && !(p.getValue("text") instanceof String t && t.stripLeading().startsWith("<system-reminder>"))) {
                    inputs++;
                }
            }
            return inputs > 1 || (inputs == 1 && !tools);
        }
        return false;
    }

    /** JavaScript's {@code tools && tools.length !== 0} for what a body can hold. */
    private static boolean hasTools(Object tools) {
        if (tools == null || Boolean.FALSE.equals(tools) || "".equals(tools)) {
            return false;
        }
        return !(tools instanceof JsonArray list) || !list.isEmpty();
    }
}
