package dev.relay.admin;

import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.SecretCipher;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Claude Console accounts through the admin API against fixture 22's exchanges and Redis diffs. */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ConsoleAccountsAdminTest extends AdminTestBase {
    static final String CREATE = "{\"name\":\"crud-console\",\"description\":\"crud console\","
            + "\"apiUrl\":\"http://127.0.0.1:18091\",\"apiKey\":\"sk-ant-api03-crud-console\",\"priority\":20,"
            + "\"accountType\":\"shared\",\"supportedModels\":{},\"rateLimitDuration\":60}";
    static final SecretCipher CIPHER = new SecretCipher(SecretCipher.Service.CLAUDE_CONSOLE,
            TestServices.FIXTURE_ENCRYPTION_KEY);
    /** The field set of fixture 22's console-create diff. */
    static final TreeSet<String> FIXTURE_FIELDS = new TreeSet<>(List.of("accountType", "apiKey", "apiUrl", "createdAt",
            "dailyQuota", "dailyUsage", "description", "disableAutoProtection", "errorMessage", "id", "interceptWarmup",
            "isActive", "lastResetDate", "lastUsedAt", "maxConcurrentTasks", "name", "platform", "priority", "proxy",
            "quotaResetTime", "quotaStoppedAt", "rateLimitDuration", "rateLimitStatus", "rateLimitedAt", "schedulable",
            "status", "subscriptionExpiresAt", "supportedModels", "userAgent"));

    static String createAccount(String token, String body) {
        return as(token).contentType("application/json").body(body).post("/admin/claude-console-accounts")
                .then().statusCode(200).body("success", is(true)).extract().path("data.id");
    }

    @Test
    void createEncryptsTheKeyAsTheLegacyDoes() {
        String token = login();
        String id = as(token).contentType("application/json").body(CREATE).post("/admin/claude-console-accounts")
                .then().statusCode(200).body("data.name", is("crud-console")).body("data.priority", is(20))
                .body("data.userAgent", is("claude-cli/1.0.69 (external, cli)")).body("data.status", is("active"))
                .body("data.expiresAt", nullValue()).body("data.apiKey", nullValue())
                .extract().path("data.id");
        Map<String, String> stored = AdminAuthTest.hash("claude_console_account:" + id);
        assertEquals(FIXTURE_FIELDS, new TreeSet<>(stored.keySet()));
        assertTrue(stored.get("apiKey").matches("[0-9a-f]{32}:[0-9a-f]+"), stored.get("apiKey"));
        assertEquals("sk-ant-api03-crud-console", CIPHER.decrypt(stored.get("apiKey")));
        assertEquals("20", stored.get("priority"));
        assertEquals("{}", stored.get("supportedModels"));
        assertEquals("", stored.get("proxy"));
        assertEquals("true", stored.get("schedulable"));
        assertEquals(-1, redis.call("TTL", "claude_console_account:" + id).toLong());
        assertTrue(redis.call("SISMEMBER", "shared_claude_console_accounts", id).toBoolean());

        as(token).get("/admin/claude-console-accounts").then().statusCode(200)
                .body("data[0].id", is(id)).body("data[0].supportedModels.size()", is(0))
                .body("data[0].rateLimitInfo.isRateLimited", is(false)).body("data[0].schedulable", is(true))
                .body("data[0].usage.total.requests", is(0)).body("data[0].apiKey", nullValue());
        as(token).get("/admin/claude-console-accounts?platform=gemini").then().body("data.size()", is(0));
    }

    @Test
    void badInputIsRefusedAndWritesNothing() {
        String token = login();
        as(token).contentType("application/json").body("{\"name\":\"incomplete\"}").post("/admin/claude-console-accounts")
                .then().statusCode(400).body("error", is("Name, API URL and API Key are required"));
        as(token).contentType("application/json")
                .body("{\"name\":\"n\",\"apiUrl\":\"http://x\",\"apiKey\":\"k\",\"priority\":101}")
                .post("/admin/claude-console-accounts").then().statusCode(400)
                .body("error", is("Priority must be between 1 and 100"));
        assertEquals(0, redis.call("SCARD", "shared_claude_console_accounts").toLong());
        String ghost = "990112db-eec9-4dc2-8603-38ed5d0114ed";
        as(token).contentType("application/json").body("{\"priority\":1}").put("/admin/claude-console-accounts/" + ghost)
                .then().statusCode(404).body("error", is("Account not found"));
        assertEquals(0, redis.call("EXISTS", "claude_console_account:" + ghost).toLong());
        as(token).delete("/admin/claude-console-accounts/" + ghost).then().statusCode(500)
                .body("error", is("Failed to delete Claude Console account")).body("message", is("Account not found"));
    }

    @Test
    void updateRotateToggleAndReset() {
        String token = login();
        String id = createAccount(token, CREATE);
        String key = "claude_console_account:" + id;
        as(token).contentType("application/json").body("{\"priority\":30,\"name\":\"crud-console-2\",\"description\":"
                + "\"edited\",\"dailyQuota\":25,\"supportedModels\":{\"claude-sonnet-4-20250514\":"
                + "\"claude-sonnet-4-20250514\"},\"maxConcurrentTasks\":2}").put("/admin/claude-console-accounts/" + id)
                .then().statusCode(200).body("message", is("Claude Console account updated successfully"));
        Map<String, String> updated = AdminAuthTest.hash(key);
        assertEquals("30", updated.get("priority"));
        assertEquals("25", updated.get("dailyQuota"));
        assertEquals("2", updated.get("maxConcurrentTasks"));
        assertEquals("{\"claude-sonnet-4-20250514\":\"claude-sonnet-4-20250514\"}", updated.get("supportedModels"));
        assertTrue(updated.containsKey("updatedAt"));

        as(token).contentType("application/json").body("{\"apiKey\":\"sk-ant-api03-crud-console-rotated\"}")
                .put("/admin/claude-console-accounts/" + id).then().statusCode(200);
        assertEquals("sk-ant-api03-crud-console-rotated", CIPHER.decrypt(AdminAuthTest.hash(key).get("apiKey")));

        as(token).put("/admin/claude-console-accounts/" + id + "/toggle").then().statusCode(200).body("isActive", is(false));
        assertEquals("false", AdminAuthTest.hash(key).get("isActive"));
        as(token).put("/admin/claude-console-accounts/" + id + "/toggle").then().body("isActive", is(true));
        as(token).put("/admin/claude-console-accounts/" + id + "/toggle-schedulable").then().statusCode(200)
                .body("schedulable", is(false));
        Map<String, String> paused = AdminAuthTest.hash(key);
        assertEquals("false", paused.get("schedulable"));
        assertEquals("", paused.get("rateLimitAutoStopped"));
        assertEquals("", paused.get("stoppedReason"));
        as(token).post("/admin/claude-console-accounts/" + id + "/reset-usage").then().statusCode(200)
                .body("message", is("Daily usage reset successfully"));
        as(token).get("/admin/claude-console-accounts/" + id + "/usage").then().statusCode(200)
                .body("dailyQuota", is(25.0f)).body("isQuotaExceeded", is(false))
                .body("fullUsageStats.accountId", is(id));
    }

    @Test
    void deleteUnbindsItsKeysAndLeavesThePool() {
        String token = login();
        String id = createAccount(token, CREATE);
        String keyId = as(token).contentType("application/json")
                .body("{\"name\":\"bound\",\"claudeConsoleAccountId\":\"" + id + "\"}").post("/admin/api-keys")
                .then().statusCode(200).extract().path("data.id");
        as(token).delete("/admin/claude-console-accounts/" + id).then().statusCode(200).body("unboundKeys", is(1))
                .body("message", is("Claude Console账号已成功删除，1 个 API Key 已切换为共享池模式"));
        assertEquals(0, redis.call("EXISTS", "claude_console_account:" + id).toLong());
        assertFalse(redis.call("SISMEMBER", "shared_claude_console_accounts", id).toBoolean());
        assertEquals("", AdminAuthTest.hash("apikey:" + keyId).get("claudeConsoleAccountId"));
        as(token).delete("/admin/claude-console-accounts/" + id).then().statusCode(500);
    }
}
