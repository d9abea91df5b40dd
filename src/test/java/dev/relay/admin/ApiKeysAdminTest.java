package dev.relay.admin;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.auth.ApiKeyStore;
import dev.relay.store.ApiKeyHasher;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.TestRedis;
import dev.relay.testsupport.TestServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API keys through the admin API against fixture 22's exchanges and Redis diffs. */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ApiKeysAdminTest extends AdminTestBase {
    static final String CREATE = "{\"name\":\"crud-key\",\"description\":\"crud fixture key\",\"tokenLimit\":1000,"
            + "\"rateLimitWindow\":60,\"rateLimitRequests\":10,\"tags\":[\"crud\"],\"permissions\":\"all\"}";

    private JsonPath create(String token, String body) {
        return as(token).contentType("application/json").body(body).post("/admin/api-keys")
                .then().statusCode(200).body("success", is(true)).extract().jsonPath();
    }

    @Test
    void aCreatedKeyIsStoredAsTheLegacyStoresIt() {
        String token = login();
        JsonPath created = create(token, CREATE);
        String id = created.getString("data.id");
        String raw = created.getString("data.apiKey");
        assertTrue(raw.matches("cr_[0-9a-f]{64}"), raw);
        assertEquals(1000, created.getInt("data.tokenLimit"));
        assertEquals(List.of("crud"), created.getList("data.tags"));
        assertEquals(true, created.getBoolean("data.isActivated"));

        Map<String, String> stored = AdminAuthTest.hash("apikey:" + id);
        String hash = ApiKeyHasher.hash(raw, TestServices.FIXTURE_ENCRYPTION_KEY);
        assertEquals(hash, stored.get("apiKey"));
        assertEquals("1000", stored.get("tokenLimit"));
        assertEquals("60", stored.get("rateLimitWindow"));
        assertEquals("0", stored.get("rateLimitCost"));
        assertEquals("[\"crud\"]", stored.get("tags"));
        assertEquals("[]", stored.get("restrictedModels"));
        assertEquals("fixed", stored.get("expirationMode"));
        assertEquals("admin", stored.get("createdBy"));
        assertEquals(stored.get("createdAt"), stored.get("activatedAt"));
        assertEquals(FIXTURE_FIELDS, new java.util.TreeSet<>(stored.keySet()));
        assertTtlOfAYear("apikey:" + id);
        assertEquals(id, redis.call("HGET", ApiKeyStore.HASH_MAP, hash).toString());
        for (String range : List.of("today", "7days", "30days", "all")) {
            assertEquals(0.0, redis.call("ZSCORE", "cost_rank:" + range, id).toDouble());
        }
        // the raw key authenticates as the relay looks keys up
        assertTrue(TestRedis.await(new ApiKeyStore(redis.store).findByHash(hash)).isPresent());
    }

    /** The field set of fixture 22's key-create diff. */
    static final java.util.Set<String> FIXTURE_FIELDS = new java.util.TreeSet<>(List.of("activatedAt", "activationDays",
            "activationUnit", "allowedClients", "apiKey", "azureOpenaiAccountId", "bedrockAccountId", "claudeAccountId",
            "claudeConsoleAccountId", "concurrencyLimit", "createdAt", "createdBy", "dailyCostLimit", "description",
            "droidAccountId", "enableClientRestriction", "enableModelPassthrough", "enableModelRestriction",
            "expirationMode", "expiresAt", "geminiAccountId", "icon", "id", "isActivated", "isActive", "lastUsedAt",
            "name", "openaiAccountId", "permissions", "rateLimitCost", "rateLimitRequests", "rateLimitWindow",
            "restrictedModels", "tags", "tokenLimit", "totalCostLimit", "userId", "userUsername", "weeklyOpusCostLimit"));

    @Test
    void badInputIsRefusedAndWritesNothing() {
        String token = login();
        as(token).contentType("application/json").body("{\"name\":\"\"}").post("/admin/api-keys").then()
                .statusCode(400).body("error", is("Name is required and must be a non-empty string"));
        as(token).contentType("application/json").body("{\"name\":\"x\",\"permissions\":\"root\"}")
                .post("/admin/api-keys").then().statusCode(400)
                .body("error", is("Invalid permissions value. Must be claude, gemini, openai, droid, or all"));
        as(token).contentType("application/json").body("{\"name\":\"x\",\"tags\":[\"\"]}").post("/admin/api-keys")
                .then().statusCode(400).body("error", is("All tags must be non-empty strings"));
        assertEquals(0, redis.call("HLEN", ApiKeyStore.HASH_MAP).toLong());

        String id = create(token, CREATE).getString("data.id");
        as(token).contentType("application/json").body("{\"tokenLimit\":-5}").put("/admin/api-keys/" + id).then()
                .statusCode(400).body("error", is("Token limit must be a non-negative integer"));
        assertEquals("1000", AdminAuthTest.hash("apikey:" + id).get("tokenLimit"));
        String ghost = "65125ed0-9659-49e2-adbd-c2a05770204e";
        as(token).contentType("application/json").body("{\"name\":\"ghost\"}").put("/admin/api-keys/" + ghost).then()
                .statusCode(500).body("error", is("Failed to update API key")).body("message", is("API key not found"));
        assertEquals(0, redis.call("EXISTS", "apikey:" + ghost).toLong(), "no partial hash for an unknown id");
        as(token).delete("/admin/api-keys/" + ghost).then().statusCode(500)
                .body("error", is("Failed to delete API key"));
    }

    @Test
    void updatesWriteOnlyTheChangedFieldsAndReArmTheTtl() {
        String token = login();
        String id = create(token, CREATE).getString("data.id");
        redis.call("EXPIRE", "apikey:" + id, "100");
        as(token).contentType("application/json").body("{\"tokenLimit\":5000,\"concurrencyLimit\":4,"
                + "\"dailyCostLimit\":12.5,\"totalCostLimit\":100,\"weeklyOpusCostLimit\":7,\"rateLimitWindow\":30,"
                + "\"rateLimitRequests\":20,\"rateLimitCost\":3}").put("/admin/api-keys/" + id)
                .then().statusCode(200).body("message", is("API key updated successfully"));
        as(token).contentType("application/json").body("{\"permissions\":\"claude\",\"enableModelRestriction\":true,"
                + "\"restrictedModels\":[\"claude-opus-4-20250514\"],\"enableClientRestriction\":true,"
                + "\"allowedClients\":[\"claude_code\"],\"tags\":[\"crud\",\"edited\"]}").put("/admin/api-keys/" + id)
                .then().statusCode(200);
        as(token).contentType("application/json").body("{\"isActive\":false}").put("/admin/api-keys/" + id)
                .then().statusCode(200);
        Map<String, String> stored = AdminAuthTest.hash("apikey:" + id);
        assertEquals("4", stored.get("concurrencyLimit"));
        assertEquals("12.5", stored.get("dailyCostLimit"));
        assertEquals("claude", stored.get("permissions"));
        assertEquals("[\"claude-opus-4-20250514\"]", stored.get("restrictedModels"));
        assertEquals("true", stored.get("enableClientRestriction"));
        assertEquals("false", stored.get("isActive"));
        assertTrue(stored.containsKey("updatedAt"));
        assertTtlOfAYear("apikey:" + id);

        as(token).contentType("application/json").body("{\"expiresAt\":\"2026-12-03T08:06:47.434Z\"}")
                .patch("/admin/api-keys/" + id + "/expiration").then().statusCode(200)
                .body("updates.expiresAt", is("2026-12-03T08:06:47.434Z"));
        as(token).contentType("application/json").body("{}").patch("/admin/api-keys/" + id + "/expiration")
                .then().statusCode(400).body("error", is("No valid updates provided"));

        as(token).get("/admin/api-keys?page=1&pageSize=10&searchMode=apiKey&search=crud&sortBy=createdAt"
                + "&sortOrder=desc&timeRange=today").then().statusCode(200)
                .body("data.items[0].concurrencyLimit", is("4")).body("data.items[0].dailyCostLimit", is(12.5f))
                .body("data.items[0].isActive", is(false)).body("data.items[0].enableClientRestriction", is("true"))
                .body("data.items[0].ownerDisplayName", is("Admin")).body("data.items[0].usage.total.formattedCost", is("$0.00"))
                .body("data.availableTags", contains("crud", "edited")).body("timeRange", is("today"));
    }

    @Test
    void theListPagesFiltersAndSorts() {
        String token = login();
        create(token, "{\"name\":\"b-key\",\"tags\":[\"team-b\"]}");
        create(token, "{\"name\":\"a-key\"}");
        create(token, "{\"name\":\"c-key\",\"tags\":[\"team-c\"]}");
        as(token).get("/admin/api-keys?page=1&pageSize=10&sortBy=name&sortOrder=asc").then().statusCode(200)
                .body("data.items.name", contains("a-key", "b-key", "c-key"))
                .body("data.pagination.total", is(3)).body("data.pagination.totalPages", is(1))
                .body("data.availableTags", contains("team-b", "team-c"));
        as(token).get("/admin/api-keys?tag=team-c").then().body("data.items.name", contains("c-key"))
                .body("data.pagination.pageSize", is(20));
        as(token).get("/admin/api-keys?search=B-K").then().body("data.items.name", contains("b-key"));
        as(token).get("/admin/api-keys/tags").then().body("data", contains("team-b", "team-c"));
        for (int i = 0; i < 9; i++) {
            create(token, "{\"name\":\"more-" + i + "\"}");
        }
        as(token).get("/admin/api-keys?page=2&pageSize=10&sortBy=name&sortOrder=asc").then()
                .body("data.items.size()", is(2)).body("data.pagination.page", is(2))
                .body("data.pagination.totalPages", is(2));
        as(token).get("/admin/api-keys?page=9&pageSize=10").then().body("data.pagination.page", is(2));
    }

    @Test
    void softDeleteRestoreAndPermanentDelete() {
        String token = login();
        JsonPath created = create(token, CREATE);
        String id = created.getString("data.id");
        String hash = AdminAuthTest.hash("apikey:" + id).get("apiKey");
        as(token).delete("/admin/api-keys/" + id + "/permanent").then().statusCode(400)
                .body("success", is(false)).body("error", is("只能彻底删除已经删除的API Key"));
        as(token).delete("/admin/api-keys/" + id).then().statusCode(200)
                .body("message", is("API key deleted successfully"));
        Map<String, String> deleted = AdminAuthTest.hash("apikey:" + id);
        assertEquals("true", deleted.get("isDeleted"));
        assertEquals("false", deleted.get("isActive"));
        assertEquals("admin", deleted.get("deletedBy"));
        assertEquals("admin", deleted.get("deletedByType"));
        assertTrue(redis.call("ZSCORE", "cost_rank:all", id) == null);
        as(token).get("/admin/api-keys").then().body("data.items", org.hamcrest.Matchers.empty());
        as(token).get("/admin/api-keys/deleted").then().statusCode(200).body("total", is(1))
                .body("apiKeys[0].id", is(id)).body("apiKeys[0].isDeleted", is(true))
                .body("apiKeys[0].canRestore", is(true)).body("apiKeys[0].concurrencyLimit", is(0));

        as(token).post("/admin/api-keys/" + id + "/restore").then().statusCode(200)
                .body("message", is("API Key 已成功恢复")).body("apiKey.isActive", is("true"))
                .body("apiKey", not(org.hamcrest.Matchers.hasKey("isDeleted")));
        Map<String, String> restored = AdminAuthTest.hash("apikey:" + id);
        assertFalse(restored.containsKey("isDeleted"));
        assertEquals("true", restored.get("isActive"));
        assertEquals(Map.of("id", id, "name", "crud-key", "isActive", "true"), AdminAuthTest.hash("apikey_hash:" + hash));
        assertEquals(0.0, redis.call("ZSCORE", "cost_rank:today", id).toDouble());
        as(token).post("/admin/api-keys/" + id + "/restore").then().statusCode(400).body("success", is(false));

        as(token).delete("/admin/api-keys/" + id).then().statusCode(200);
        assertEquals(0, redis.call("EXISTS", "apikey_hash:" + hash).toLong());
        as(token).delete("/admin/api-keys/" + id + "/permanent").then().statusCode(200)
                .body("message", is("API Key 已彻底删除"));
        assertEquals(0, redis.call("EXISTS", "apikey:" + id).toLong());
        assertTrue(redis.call("HGET", ApiKeyStore.HASH_MAP, hash) == null);
        as(token).delete("/admin/api-keys/" + id + "/permanent").then().statusCode(404)
                .body("error", is("API Key 不存在"));
    }

    @Test
    void regeneratingRetiresTheOldRawKey() {
        String token = login();
        JsonPath created = create(token, CREATE);
        String id = created.getString("data.id");
        String oldHash = ApiKeyHasher.hash(created.getString("data.apiKey"), TestServices.FIXTURE_ENCRYPTION_KEY);
        String fresh = as(token).post("/admin/api-keys/" + id + "/regenerate").then().statusCode(200)
                .body("data.apiKey", matchesPattern("cr_[0-9a-f]{64}")).extract().path("data.apiKey");
        ApiKeyStore store = new ApiKeyStore(redis.store);
        assertFalse(TestRedis.await(store.findByHash(oldHash)).isPresent());
        assertEquals(id, TestRedis.await(store.findByHash(
                ApiKeyHasher.hash(fresh, TestServices.FIXTURE_ENCRYPTION_KEY))).orElseThrow().id());
        as(token).get("/admin/api-keys").then().body("data.items.id", hasItem(id));
    }

    static void assertTtlOfAYear(String key) {
        long ttl = redis.call("TTL", key).toLong();
        assertTrue(ttl > 31_535_000L && ttl <= 31_536_000L, key + " TTL " + ttl);
    }
}
