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

/** CCR accounts through the admin API against fixture 02's ccr step (fields, cipher salt, shared set). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class CcrAccountsAdminTest extends AdminTestBase {
    static final String CREATE = "{\"name\":\"fx-ccr\",\"description\":\"fixture ccr\",\"apiUrl\":\"http://127.0.0.1:18081\","
            + "\"apiKey\":\"sk-fixture-ccr-0001\",\"priority\":50,\"supportedModels\":[],\"accountType\":\"shared\","
            + "\"dailyQuota\":0,\"quotaResetTime\":\"00:00\"}";
    static final SecretCipher CIPHER = new SecretCipher(SecretCipher.Service.CCR, TestServices.FIXTURE_ENCRYPTION_KEY);
    static final TreeSet<String> FIXTURE_FIELDS = new TreeSet<>(List.of("accountType", "apiKey", "apiUrl", "createdAt",
            "dailyQuota", "dailyUsage", "description", "errorMessage", "id", "isActive", "lastResetDate", "lastUsedAt",
            "name", "platform", "priority", "proxy", "quotaResetTime", "quotaStoppedAt", "rateLimitDuration",
            "rateLimitStatus", "rateLimitedAt", "schedulable", "status", "subscriptionExpiresAt", "supportedModels",
            "userAgent"));

    @Test
    void createStoresFixtureFieldsUnderTheCcrCipher() {
        String token = login();
        String id = as(token).contentType("application/json").body(CREATE).post("/admin/ccr-accounts").then()
                .statusCode(200).body("data.name", is("fx-ccr")).body("data.userAgent", is("claude-relay-service/1.0.0"))
                .body("data.supportedModels.size()", is(0)).body("data.proxy", nullValue())
                .body("data.maxConcurrentTasks", nullValue()).body("data.apiKey", nullValue())
                .extract().path("data.id");
        Map<String, String> stored = AdminAuthTest.hash("ccr_account:" + id);
        assertEquals(FIXTURE_FIELDS, new TreeSet<>(stored.keySet()));
        assertEquals("ccr", stored.get("platform"));
        assertEquals("sk-fixture-ccr-0001", CIPHER.decrypt(stored.get("apiKey")));
        assertTrue(redis.call("SISMEMBER", "shared_ccr_accounts", id).toBoolean());
        as(token).get("/admin/ccr-accounts").then().statusCode(200).body("data[0].id", is(id))
                .body("data[0].apiKey", is("***")).body("data[0].groupInfos.size()", is(0));
    }

    @Test
    void updateToggleResetAndDelete() {
        String token = login();
        String id = as(token).contentType("application/json").body(CREATE).post("/admin/ccr-accounts").then()
                .statusCode(200).extract().path("data.id");
        String key = "ccr_account:" + id;
        as(token).contentType("application/json").body("{\"apiKey\":\"sk-rotated\",\"accountType\":\"dedicated\"}")
                .put("/admin/ccr-accounts/" + id).then().statusCode(200)
                .body("message", is("CCR account updated successfully"));
        assertEquals("sk-rotated", CIPHER.decrypt(AdminAuthTest.hash(key).get("apiKey")));
        assertFalse(redis.call("SISMEMBER", "shared_ccr_accounts", id).toBoolean());
        as(token).put("/admin/ccr-accounts/" + id + "/toggle-schedulable").then().statusCode(200)
                .body("schedulable", is(false));
        redis.call("HSET", key, "status", "rate_limited", "rateLimitedAt", "x", "rateLimitStatus", "limited");
        as(token).post("/admin/ccr-accounts/" + id + "/reset-status").then().statusCode(200)
                .body("data.accountId", is(id));
        Map<String, String> reset = AdminAuthTest.hash(key);
        assertEquals("active", reset.get("status"));
        assertEquals("true", reset.get("schedulable"));
        assertFalse(reset.containsKey("rateLimitedAt"));
        as(token).delete("/admin/ccr-accounts/" + id).then().statusCode(200).body("message", is("CCR账号已成功删除"));
        assertEquals(0, redis.call("EXISTS", key).toLong());
        as(token).post("/admin/ccr-accounts/" + id + "/reset-status").then().statusCode(500)
                .body("error", is("Failed to reset status"));
        assertEquals(0, redis.call("EXISTS", key).toLong());
    }
}
