package dev.relay.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.SecretCipher;
import dev.relay.fake.FakeAnthropic;
import dev.relay.testsupport.OAuthTestResource;
import dev.relay.testsupport.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Claude OAuth accounts through the admin API: the hash of fixture 02's claude-oauth step, secrets under the legacy's
 * {@code salt} cipher, and an account made here relays through the unified Claude pool to the fake Anthropic API.
 */
@QuarkusTest
@QuarkusTestResource(OAuthTestResource.class)
class ClaudeAccountsAdminTest extends AdminTestBase {
    static final FakeAnthropic API = OAuthTestResource.API;
    static final SecretCipher CIPHER = new SecretCipher(SecretCipher.Service.CLAUDE, TestServices.FIXTURE_ENCRYPTION_KEY);
    /** The fields of fixture 02's claude-oauth hash but {@code profileUpdatedAt}, which its profile fetch added. */
    static final TreeSet<String> FIXTURE_FIELDS = new TreeSet<>(List.of("accessToken", "accountType",
            "autoStopOnWarning", "claudeAiOauth", "createdAt", "description", "email", "errorMessage", "expiresAt",
            "extInfo", "id", "interceptWarmup", "isActive", "lastRefreshAt", "lastUsedAt", "maxConcurrency", "name",
            "password", "platform", "priority", "proxy", "refreshToken", "schedulable", "scopes", "status",
            "subscriptionExpiresAt", "subscriptionInfo", "unifiedClientId", "useUnifiedClientId", "useUnifiedUserAgent"));

    static String createBody(String name, long expiresAt) {
        return new JsonObject().put("name", name).put("description", "admin-made").put("email", "me@example.com")
                .put("password", "pw").put("accountType", "shared").put("priority", 90).put("maxConcurrency", 0)
                .put("claudeAiOauth", new JsonObject().put("accessToken", "sk-ant-oat01-admin-made")
                        .put("refreshToken", "sk-ant-ort01-admin-made").put("expiresAt", expiresAt)
                        .put("scopes", new io.vertx.core.json.JsonArray().add("user:inference")))
                .encode();
    }

    @BeforeEach
    void resetUpstream() {
        API.reset();
    }

    @Test
    void createdAccountIsStoredAsTheLegacyStoresItAndRelays() {
        String token = login();
        long expiry = System.currentTimeMillis() + 3_600_000;
        String id = as(token).contentType("application/json").body(createBody("made-here", expiry))
                .post("/admin/claude-accounts").then().statusCode(200).body("data.name", is("made-here"))
                .body("data.email", is("me@example.com")).body("data.status", is("active")).body("data.priority", is(90))
                .body("data.scopes[0]", is("user:inference")).body("data.expiresAt", nullValue())
                .body("data.tokenExpiresAt", is(String.valueOf(expiry))).body("data.accessToken", nullValue())
                .extract().path("data.id");
        Map<String, String> stored = AdminAuthTest.hash("claude:account:" + id);
        assertEquals(FIXTURE_FIELDS, new TreeSet<>(stored.keySet()));
        assertEquals("sk-ant-oat01-admin-made", CIPHER.decrypt(stored.get("accessToken")));
        assertEquals("sk-ant-ort01-admin-made", CIPHER.decrypt(stored.get("refreshToken")));
        assertEquals("me@example.com", CIPHER.decrypt(stored.get("email")));
        assertEquals("sk-ant-oat01-admin-made",
                new JsonObject(CIPHER.decrypt(stored.get("claudeAiOauth"))).getString("accessToken"));
        assertEquals(String.valueOf(expiry), stored.get("expiresAt"));
        assertEquals("user:inference", stored.get("scopes"));
        assertEquals("claude", stored.get("platform"));
        assertEquals(-1, redis.call("TTL", "claude:account:" + id).toLong());

        String raw = as(token).contentType("application/json").body("{\"name\":\"k\"}").post("/admin/api-keys")
                .then().statusCode(200).extract().path("data.apiKey");
        given().header("x-api-key", raw).contentType("application/json")
                .body("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post("/api/v1/messages").then().statusCode(200).body("type", is("message"));
        assertEquals("Bearer sk-ant-oat01-admin-made", API.lastRequest().header("authorization"));

        as(token).get("/admin/claude-accounts").then().statusCode(200).body("data[0].id", is(id))
                .body("data[0].accessToken", nullValue()).body("data[0].email", nullValue())
                .body("data[0].groupInfos.size()", is(0));
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        String token = login();
        as(token).contentType("application/json").body("{\"description\":\"no name\"}").post("/admin/claude-accounts")
                .then().statusCode(400).body("error", is("Name is required"));
        as(token).contentType("application/json").body("{\"name\":\"n\",\"priority\":\"5\"}").post("/admin/claude-accounts")
                .then().statusCode(400).body("error", is("Priority must be a number between 1 and 100"));
        as(token).contentType("application/json").body("{\"name\":\"n\",\"accountType\":\"group\"}")
                .post("/admin/claude-accounts").then().statusCode(400)
                .body("error", is("Group ID or Group IDs are required for group type accounts"));
        as(token).contentType("application/json").body("{\"name\":\"n\",\"maxConcurrency\":-1}")
                .post("/admin/claude-accounts").then().statusCode(400)
                .body("error", is("maxConcurrency must be a non-negative integer"));
        as(token).contentType("application/json")
                .body("{\"name\":\"n\",\"accountType\":\"group\",\"groupId\":\"4d7c4a47-9f4e-4b07-9a37-0a8f9c1d2e3f\"}")
                .post("/admin/claude-accounts").then().statusCode(400).body("error", is("分组不存在"));
        assertEquals(0, redis.call("KEYS", "claude:account:*").size());
        String ghost = "990112db-eec9-4dc2-8603-38ed5d0114ed";
        as(token).contentType("application/json").body("{\"priority\":1}").put("/admin/claude-accounts/" + ghost)
                .then().statusCode(404).body("error", is("Account not found"));
        as(token).put("/admin/claude-accounts/" + ghost + "/toggle-schedulable").then().statusCode(404);
        as(token).post("/admin/claude-accounts/" + ghost + "/reset-status").then().statusCode(500)
                .body("error", is("Failed to reset status"));
        assertEquals(0, redis.call("EXISTS", "claude:account:" + ghost).toLong());
    }

    @Test
    void updateToggleResetAndDelete() {
        String token = login();
        String id = as(token).contentType("application/json").body(createBody("acct", System.currentTimeMillis() + 3_600_000))
                .post("/admin/claude-accounts").then().statusCode(200).extract().path("data.id");
        String key = "claude:account:" + id;
        as(token).contentType("application/json").body("{\"name\":\"renamed\",\"priority\":20,\"password\":\"pw2\","
                + "\"proxy\":{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":8080}}").put("/admin/claude-accounts/" + id)
                .then().statusCode(200).body("message", is("Claude account updated successfully"));
        Map<String, String> updated = AdminAuthTest.hash(key);
        assertEquals("renamed", updated.get("name"));
        assertEquals("20", updated.get("priority"));
        assertEquals("pw2", CIPHER.decrypt(updated.get("password")));
        assertEquals("{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":8080}", updated.get("proxy"));
        assertTrue(updated.containsKey("updatedAt"));

        as(token).contentType("application/json").body("{\"claudeAiOauth\":{\"accessToken\":\"sk-ant-oat01-rotated\","
                + "\"refreshToken\":\"sk-ant-ort01-rotated\",\"expiresAt\":1900000000000,\"scopes\":[\"user:inference\"]}}")
                .put("/admin/claude-accounts/" + id).then().statusCode(200);
        assertEquals("sk-ant-oat01-rotated", CIPHER.decrypt(AdminAuthTest.hash(key).get("accessToken")));

        redis.call("HSET", key, "schedulable", "true", "stoppedReason", "five_hour", "fiveHourAutoStopped", "true");
        as(token).put("/admin/claude-accounts/" + id + "/toggle-schedulable").then().statusCode(200)
                .body("schedulable", is(false));
        Map<String, String> paused = AdminAuthTest.hash(key);
        assertEquals("false", paused.get("schedulable"));
        assertFalse(paused.containsKey("stoppedReason"));
        assertFalse(paused.containsKey("fiveHourAutoStopped"));

        redis.call("HSET", key, "status", "unauthorized", "errorMessage", "401", "unauthorizedAt", "x");
        redis.call("SET", "claude_account:" + id + ":401_errors", "3");
        as(token).post("/admin/claude-accounts/" + id + "/reset-status").then().statusCode(200)
                .body("data.account.status", is("active")).body("data.account.schedulable", is(true));
        Map<String, String> reset = AdminAuthTest.hash(key);
        assertEquals("active", reset.get("status"));
        assertEquals("true", reset.get("schedulable"));
        assertFalse(reset.containsKey("errorMessage"));
        assertFalse(reset.containsKey("unauthorizedAt"));
        assertEquals(0, redis.call("EXISTS", "claude_account:" + id + ":401_errors").toLong());

        String keyId = as(token).contentType("application/json")
                .body("{\"name\":\"bound\",\"claudeAccountId\":\"" + id + "\"}").post("/admin/api-keys")
                .then().statusCode(200).extract().path("data.id");
        as(token).delete("/admin/claude-accounts/" + id).then().statusCode(200).body("unboundKeys", is(1))
                .body("message", is("Claude账号已成功删除，1 个 API Key 已切换为共享池模式"));
        assertEquals(0, redis.call("EXISTS", key).toLong());
        assertEquals("", AdminAuthTest.hash("apikey:" + keyId).get("claudeAccountId"));
        as(token).delete("/admin/claude-accounts/" + id).then().statusCode(500);
    }
}
