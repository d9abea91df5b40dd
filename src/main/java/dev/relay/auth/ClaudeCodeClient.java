package dev.relay.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code claude_code} client rule (relay.md §3.7), for every request shape of Claude Code and the Agent SDK:
 * the user agent is {@code claude-cli/x.y.z}, and a messages request also carries {@code x-app},
 * {@code anthropic-beta} and {@code anthropic-version}, a {@code metadata.user_id} in either of Claude Code's
 * formats ({@link ClaudeUserId}), and a system prompt that introduces itself as Claude Code or the Agent SDK
 * ({@link ClaudeCodeIdentity}).
 */
final class ClaudeCodeClient {
    private static final Pattern USER_AGENT = Pattern.compile("^claude-cli/\\d+\\.\\d+\\.\\d+", Pattern.CASE_INSENSITIVE);
    private static final List<String> REQUIRED_HEADERS = List.of("x-app", "anthropic-beta", "anthropic-version");

    private ClaudeCodeClient() {
    }

    static ClientVerdict check(String path, MultiMap headers, JsonObject body) {
        String userAgent = headers.get("user-agent") == null ? "" : headers.get("user-agent");
        if (!USER_AGENT.matcher(userAgent).find()) {
            return ClientRestriction.foreignUserAgent(userAgent, "claude-cli/<version>");
        }
        if (!path.contains("messages")) {
            return ClientVerdict.ACCEPTED;
        }
        for (String header : REQUIRED_HEADERS) {
            if (headers.get(header) == null || headers.get(header).isBlank()) {
                return ClientVerdict.refused("header " + header + " is missing");
            }
        }
        Object metadata = body == null ? null : body.getValue("metadata");
        Object userId = metadata instanceof JsonObject m ? m.getValue("user_id") : null;
        if (userId == null) {
            return ClientVerdict.refused("metadata.user_id is missing");
        }
        if (!(userId instanceof String text) || ClaudeUserId.parse(text) == null) {
            return ClientVerdict.refused("metadata.user_id is in neither Claude Code format");
        }
        return ClaudeCodeIdentity.check(body.getValue("system"));
    }
}
