package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.AccountProfile;
import dev.relay.account.ClaudeOAuthAccount;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Body and header rules of the OAuth upstream (relay.md §5.2.1–5.2.2) beyond fixture 11's three requests. */
@Tag("fast")
class OAuthBodyTest {
    static final String ACCOUNT = "29ed57d9-d16a-400d-965c-9840cac8d5e4";

    static ClaudeOAuthAccount account(String extInfo, boolean unifiedClient, String unifiedId) {
        AccountProfile profile = new AccountProfile(ACCOUNT, "a", "", "shared", 50, true, "active", true, "", "", "",
                "", "", "");
        return new ClaudeOAuthAccount(profile, "", "", "", "tok", "ref", 0, "", "claude", "", extInfo, 0, false, false,
                unifiedClient, unifiedId, false, "", Map.of());
    }

    static JsonObject shape(String json) {
        return OAuthBody.shape(new JsonObject(json), account("", false, ""), model -> 0);
    }

    @Test
    void legacySessionIsReplacedByTheAccountsDerivedUuidAsInFixture11() {
        JsonObject out = shape("{\"model\":\"m\",\"metadata\":{\"user_id\":\"user_" + "f1".repeat(32)
                + "_account__session_3b5080c6-b9e8-4f85-a345-3f6e8412281e\"}}");
        assertEquals("user_" + "f1".repeat(32) + "_account__session_2c46d0ac-8f4e-4e22-8545-c2cc94da56d1",
                out.getJsonObject("metadata").getString("user_id"));
    }

    @Test
    void jsonUserIdKeepsItsFormatWithTheSessionAndAccountReplaced() {
        String in = "{\"device_id\":\"" + "ab".repeat(32) + "\",\"account_uuid\":\"\",\"session_id\":"
                + "\"3b5080c6-b9e8-4f85-a345-3f6e8412281e\"}";
        JsonObject out = OAuthBody.shape(new JsonObject().put("model", "m").put("metadata",
                new JsonObject().put("user_id", in)), account("{\"account_uuid\":\"acc-1\"}", false, ""), m -> 0);
        assertEquals("{\"device_id\":\"" + "ab".repeat(32) + "\",\"account_uuid\":\"acc-1\",\"session_id\":"
                + "\"2c46d0ac-8f4e-4e22-8545-c2cc94da56d1\"}", out.getJsonObject("metadata").getString("user_id"));
    }

    @Test
    void ttlIsRemovedTopPDroppedAndMaxTokensClamped() {
        JsonObject out = OAuthBody.shape(new JsonObject("{\"model\":\"m\",\"max_tokens\":99999,\"top_p\":0.5,"
                + "\"system\":[{\"type\":\"text\",\"text\":\"" + OAuthBody.CLAUDE_CODE_PROMPT + "\","
                + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]}"), account("", false, ""), m -> 64000);
        assertEquals(64000, out.getInteger("max_tokens"));
        assertFalse(out.containsKey("top_p"));
        assertEquals(new JsonObject().put("type", "ephemeral"),
                out.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control"));
    }

    @Test
    void claudeCodeWithABillingBlockFirstIsNotInjectedAgain() {
        String system = "[{\"type\":\"text\",\"text\":\"x-anthropic-billing-header: cc_version=2.1.330;\"},"
                + "{\"type\":\"text\",\"text\":\"" + OAuthBody.CLAUDE_CODE_PROMPT + "\"}]";
        JsonObject out = shape("{\"model\":\"m\",\"system\":" + system + "}");
        assertTrue(OAuthBody.isClaudeCode(out));
        assertEquals(2, out.getJsonArray("system").size());
    }

    @Test
    void atMostFourCacheControlBlocksEarliestMessagePartsLoseThemFirst() {
        String part = "{\"type\":\"text\",\"text\":\"t\",\"cache_control\":{\"type\":\"ephemeral\"}}";
        JsonObject out = shape("{\"model\":\"m\",\"system\":\"s\",\"messages\":[{\"role\":\"user\",\"content\":["
                + part + "," + part + "," + part + "," + part + "]}]}");
        // the injected prompt carries one: 5 in all, so the first message part loses its own
        assertFalse(out.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
                .containsKey("cache_control"));
        assertTrue(out.getJsonArray("system").getJsonObject(0).containsKey("cache_control"));
    }

    @Test
    void unifiedClientIdReplacesTheDeviceHex() {
        JsonObject out = OAuthBody.shape(new JsonObject().put("model", "m").put("metadata", new JsonObject()
                .put("user_id", "user_" + "f1".repeat(32) + "_account__session_3b5080c6-b9e8-4f85-a345-3f6e8412281e")),
                account("", true, "c".repeat(64)), m -> 0);
        assertTrue(out.getJsonObject("metadata").getString("user_id").startsWith("user_" + "c".repeat(64) + "_account__"));
    }

    @Test
    void betaHeaderRules() {
        assertEquals("claude-code-20250219,oauth-2025-04-20,x", OAuthHeaders.beta("m", "claude-code-20250219, x"));
        assertEquals("oauth-2025-04-20,x", OAuthHeaders.beta("m", "x"));
        assertEquals("x,oauth-2025-04-20", OAuthHeaders.beta("m", "x,oauth-2025-04-20"));
        assertEquals("oauth-2025-04-20,interleaved-thinking-2025-05-14", OAuthHeaders.beta("claude-haiku-4-5", null));
    }

    @Test
    void onlyDecodableEncodingsAreOfferedAndForeignHeadersDropped() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap().add("Accept-Encoding", "gzip, deflate, br, zstd")
                .add("Cookie", "a=1").add("x-api-key", "cr_x").add("X-Forwarded-For", "1.2.3.4");
        MultiMap out = OAuthHeaders.build(client, "h", 2, "tok", "2023-06-01", "m", null);
        assertEquals("gzip, deflate", out.get("accept-encoding"));
        assertEquals(null, out.get("cookie"));
        assertEquals(null, out.get("x-api-key"));
        assertEquals(null, out.get("x-forwarded-for"));
        assertEquals("Bearer tok", out.get("authorization"));
        assertEquals(OAuthHeaders.DEFAULT_USER_AGENT, out.get("user-agent"));
    }
}
