package dev.relay.gateway.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The legacy's {@code extractOriginalSessionId} and {@code isOldSession} (routes/api.js), case by case. */
@Tag("fast")
class OriginalSessionReaderTest {
    static final String SID = "0b6c5d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f";
    static final String USER_ID = "user_" + "ab".repeat(32) + "_account__session_" + SID;

    static JsonObject body(String messages, String tools) {
        return new JsonObject("{\"metadata\":{\"user_id\":\"" + USER_ID + "\"},\"messages\":" + messages
                + (tools == null ? "" : ",\"tools\":" + tools) + "}");
    }

    @Test
    void theSessionIdIsTheUuidAtTheEndOfAStringUserId() {
        assertEquals(SID, OriginalSessionReader.read(body("[]", null)).sessionId());
        assertEquals(SID.toUpperCase(), OriginalSessionReader.read(new JsonObject().put("metadata",
                new JsonObject().put("user_id", "x_session_" + SID.toUpperCase()))).sessionId());
        assertNull(OriginalSessionReader.read(new JsonObject().put("metadata", new JsonObject().put("user_id",
                "{\"device_id\":\"d\",\"session_id\":\"" + SID + "\"}"))).sessionId(), "Claude Code's JSON user_id");
        assertNull(OriginalSessionReader.read(new JsonObject().put("metadata", new JsonObject().put("user_id", 7)))
                .sessionId());
        assertNull(OriginalSessionReader.read(new JsonObject()).sessionId());
    }

    @Test
    void aConversationWithHistoryIsOld() {
        String two = "[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]";
        assertTrue(OriginalSessionReader.old(body(two, "[{\"name\":\"t\"}]")));
        assertTrue(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":\"hi\"}]", null)),
                "one string message without tools (a warmup)");
        assertTrue(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":\"hi\"}]", "[]")));
        assertTrue(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                + "{\"type\":\"text\",\"text\":\"b\"}]}]", "[{\"name\":\"t\"}]")), "two user inputs in one message");
        assertTrue(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"}]}]",
                null)));
    }

    @Test
    void aFreshClaudeCodeTurnIsNew() {
        assertFalse(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":\"hi\"}]", "[{\"name\":\"t\"}]")));
        assertFalse(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"  <system-reminder>ctx</system-reminder>\"},{\"type\":\"text\",\"text\":\"a\"}]}]",
                "[{\"name\":\"t\"}]")), "system reminders are not user input");
        assertFalse(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
                + "\"<system-reminder>x\"}]}]", null)), "no user input at all");
        assertFalse(OriginalSessionReader.old(body("[]", null)));
        assertFalse(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":\"\"}]", null)), "empty content");
        assertFalse(OriginalSessionReader.old(body("[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]", null)));
    }
}
