package dev.relay.auth;

import dev.relay.auth.ClaudeUserId;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The per-key client allow-list (relay.md §3.7). A request passes when any allowed client's validator accepts it.
 * The Claude Code validator accepts both {@code metadata.user_id} formats, as the newer upstream does.
 */
public final class ClientRestriction {
    private static final Pattern CLAUDE_CLI = Pattern.compile("^claude-cli/\\d+\\.\\d+\\.\\d+", Pattern.CASE_INSENSITIVE);
    private static final Pattern GEMINI_CLI = Pattern.compile("^GeminiCLI/v?[\\d.]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern CODEX_CLI = Pattern.compile("^(codex_vscode|codex_cli_rs)/[\\d.]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern FACTORY_CLI = Pattern.compile("factory-cli/\\d+\\.\\d+\\.\\d+", Pattern.CASE_INSENSITIVE);

    /** The identity prompts Claude Code and the Agent SDK open their system prompt with. */
    private static final List<String> CLAUDE_CODE_PROMPTS = List.of(
            "You are Claude Code, Anthropic's official CLI for Claude",
            "You are a Claude agent, built on Anthropic's Claude Agent SDK",
            "You are an agent for Claude Code, Anthropic's official CLI for Claude");

    private ClientRestriction() {
    }

    public static boolean allows(List<String> allowedClients, String path, MultiMap headers, JsonObject body) {
        for (String client : allowedClients) {
            if (accepts(client, path, headers, body)) {
                return true;
            }
        }
        return false;
    }

    static boolean accepts(String client, String path, MultiMap headers, JsonObject body) {
        String ua = headers.get("user-agent") == null ? "" : headers.get("user-agent");
        return switch (client) {
            case "claude_code" -> claudeCode(path, ua, headers, body);
            case "gemini_cli" -> path.startsWith("/gemini")
                    && (!path.contains("generateContent") || GEMINI_CLI.matcher(ua).find());
            case "codex_cli" -> CODEX_CLI.matcher(ua).find();
            case "droid_cli" -> FACTORY_CLI.matcher(ua).find() || containsDroid(headers.get("x-factory-client"));
            default -> false;
        };
    }

    /** True for a request that passes the Claude Code validator (also used by the "Claude Code only" switch). */
    public static boolean claudeCode(String path, String ua, MultiMap headers, JsonObject body) {
        if (!CLAUDE_CLI.matcher(ua).find()) {
            return false;
        }
        if (!path.contains("messages")) {
            return true;
        }
        if (isBlank(headers.get("x-app")) || isBlank(headers.get("anthropic-beta"))
                || isBlank(headers.get("anthropic-version"))) {
            return false;
        }
        Object metadata = body == null ? null : body.getValue("metadata");
        if (!(metadata instanceof JsonObject m) || !(m.getValue("user_id") instanceof String userId)
                || ClaudeUserId.parse(userId) == null) {
            return false;
        }
        return opensWithClaudeCodePrompt(body.getValue("system"));
    }

    private static boolean opensWithClaudeCodePrompt(Object system) {
        String first = null;
        if (system instanceof String s) {
            first = s;
        } else if (system instanceof JsonArray parts && !parts.isEmpty()
                && parts.getValue(0) instanceof JsonObject p && p.getValue("text") instanceof String t) {
            first = t;
        }
        if (first == null) {
            return false;
        }
        String text = first.strip();
        return CLAUDE_CODE_PROMPTS.stream().anyMatch(text::startsWith);
    }

    private static boolean containsDroid(String value) {
        return value != null && (value.toLowerCase().contains("droid") || value.toLowerCase().contains("factory-cli"));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
