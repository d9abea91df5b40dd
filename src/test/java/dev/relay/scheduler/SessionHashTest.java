package dev.relay.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class SessionHashTest {

    @Test
    void contractTestVectors() {
        // redis-keys.md §2.7
        assertEquals("96bf182b2c5d7516a2d884a8250f7922", SessionHash.of(new JsonObject(
                "{\"system\":[{\"type\":\"text\",\"text\":\"SYS\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[]}")));
        assertEquals("e3259ba24b46a30dc0dc409b88ceb9e2", SessionHash.of(new JsonObject(
                "{\"system\":[{\"type\":\"text\",\"text\":\"SYS\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\","
                        + "\"cache_control\":{\"type\":\"ephemeral\"}}]}]}")));
        assertEquals("185f8db32271fe25f561a6fc938b2e26", SessionHash.of(new JsonObject(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")));
    }

    @Test
    void legacyUserIdGivesTheRawSessionUuid() {
        // fixture 04: the sticky key is unified_claude_session_mapping:3ffc68cb-...
        JsonObject body = new JsonObject().put("metadata", new JsonObject().put("user_id",
                "user_" + "f1".repeat(32) + "_account__session_3ffc68cb-d343-4593-aebf-2b007cd8f752"))
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "x")));
        assertEquals("3ffc68cb-d343-4593-aebf-2b007cd8f752", SessionHash.of(body));
    }

    @Test
    void jsonUserIdOfNewClaudeCodeGivesItsSessionId() {
        String userId = "{\"device_id\":\"" + "ab".repeat(32)
                + "\",\"account_uuid\":\"\",\"session_id\":\"0d9c2f3e-1111-4222-8333-944455556666\"}";
        JsonObject body = new JsonObject().put("metadata", new JsonObject().put("user_id", userId))
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "x")));
        assertEquals("0d9c2f3e-1111-4222-8333-944455556666", SessionHash.of(body));
    }

    @Test
    void nothingToStickOn() {
        assertNull(SessionHash.of(new JsonObject("{\"messages\":[]}")));
        // a non-string user_id must not throw (the legacy crashes on it)
        assertNull(SessionHash.of(new JsonObject("{\"metadata\":{\"user_id\":42},\"messages\":[]}")));
    }
}
