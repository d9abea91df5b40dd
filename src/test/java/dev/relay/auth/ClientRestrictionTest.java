package dev.relay.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ClientRestrictionTest {
    static final String SYSTEM = "[{\"type\":\"text\",\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\"}]";

    static MultiMap claudeCodeHeaders(String ua) {
        return MultiMap.caseInsensitiveMultiMap().add("user-agent", ua).add("x-app", "cli")
                .add("anthropic-beta", "claude-code-20250219").add("anthropic-version", "2023-06-01");
    }

    static JsonObject body(String userId) {
        return new JsonObject("{\"system\":" + SYSTEM + ",\"messages\":[]}")
                .put("metadata", new JsonObject().put("user_id", userId));
    }

    @Test
    void acceptsBothClaudeCodeUserIdFormats() {
        String legacy = "user_" + "a".repeat(64) + "_account__session_3ffc68cb-d343-4593-aebf-2b007cd8f752";
        String json = "{\"device_id\":\"" + "b".repeat(64) + "\",\"account_uuid\":\"\",\"session_id\":\"3ffc68cb-d343-4593-aebf-2b007cd8f752\"}";
        assertTrue(ClientRestriction.verdict(List.of("claude_code"), "/api/v1/messages",
                claudeCodeHeaders("claude-cli/1.0.110 (external, cli)"), body(legacy)).accepted());
        assertTrue(ClientRestriction.verdict(List.of("claude_code"), "/api/v1/messages",
                claudeCodeHeaders("claude-cli/2.1.330 (external, sdk-cli)"), body(json)).accepted());
    }

    @Test
    void rejectsOtherClients() {
        String legacy = "user_" + "a".repeat(64) + "_account__session_3ffc68cb-d343-4593-aebf-2b007cd8f752";
        assertFalse(ClientRestriction.verdict(List.of("claude_code"), "/api/v1/messages",
                claudeCodeHeaders("curl/8"), body(legacy)).accepted());
        assertFalse(ClientRestriction.verdict(List.of("claude_code"), "/api/v1/messages",
                claudeCodeHeaders("claude-cli/2.1.330"), body("not-a-user-id")).accepted());
        assertFalse(ClientRestriction.verdict(List.of("gemini_cli"), "/api/v1/messages",
                claudeCodeHeaders("claude-cli/2.1.330"), body(legacy)).accepted());
        assertTrue(ClientRestriction.verdict(List.of("codex_cli"), "/openai/responses",
                MultiMap.caseInsensitiveMultiMap().add("user-agent", "codex_cli_rs/0.80.0"), new JsonObject()).accepted());
    }
}
