package dev.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.admin.dashboard.DashboardResource;
import dev.relay.testsupport.FixtureRedis;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ★ routes of fixture 21 replayed on its Redis dump: the same envelopes and field names, and the same figures
 * where they follow from the data rather than the clock.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class FirstScreenTest extends AdminTestBase {
    static final JsonNode EXCHANGES = FixtureRedis.read(FixtureRedis.fixture("21-first-screen", "http.json"));

    @Inject
    DashboardResource dashboard;

    @Inject
    dev.relay.store.LegacyClock clock;

    @BeforeEach
    void loadDump() {
        loadDump(false);
    }

    /**
     * Fixture 21's keyspace; {@code today} moves its date stamps (capture day 2026-11-23, month 2026-11, UTC+8) to
     * today's, so the routes that read "today" see the capture's usage.
     */
    void loadDump(boolean today) {
        redis.flush();
        java.time.Instant now = java.time.Instant.now();
        JsonNode keys = FixtureRedis.read(FixtureRedis.fixture("21-first-screen", "redis-dump-before-screens.json"))
                .path("keys");
        for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> key = it.next();
            String name = key.getKey();
            if (today) {
                name = name.replace("2026-11-23", clock.date(now)).replace("2026-11", clock.month(now));
            }
            if (!name.startsWith("session:")) {
                FixtureRedis.write(redis, name, key.getValue());
            }
        }
        storeCredentials(USER, dev.relay.store.AdminCredentials.hash(PASSWORD));
        dashboard.forget();
    }

    @Test
    void batchStatsPriceTheCaptureAsTheLegacyDid() {
        loadDump(true);
        JsonObject legacy = legacy("screen /admin/api-keys/batch-stats").getJsonObject("data");
        String body = "{\"keyIds\":" + new JsonArray(List.copyOf(legacy.fieldNames())).encode() + ",\"timeRange\":\"today\"}";
        JsonObject ours = new JsonObject(as(login()).contentType("application/json").body(body)
                .post("/admin/api-keys/batch-stats").then().statusCode(200).extract().asString()).getJsonObject("data");
        for (String keyId : legacy.fieldNames()) {
            JsonObject expected = legacy.getJsonObject(keyId);
            JsonObject actual = ours.getJsonObject(keyId);
            assertEquals(expected.fieldNames(), actual.fieldNames(), keyId);
            for (String field : new String[] {"requests", "tokens", "inputTokens", "outputTokens", "cacheCreateTokens",
                    "cacheReadTokens", "cost", "formattedCost", "dailyCost", "allTimeCost"}) {
                assertEquals(expected.getValue(field), actual.getValue(field), keyId + " " + field);
            }
        }
    }

    @Test
    void usageCostsPriceEveryModelAsTheLegacyDid() {
        loadDump(true);
        String token = login();
        for (String period : new String[] {"today", "all"}) {
            JsonObject legacy = legacyAt("screen /admin/usage-costs", "period=" + period).getJsonObject("data");
            JsonObject ours = ours(token, "/admin/usage-costs?period=" + period).getJsonObject("data");
            assertEquals(shape(legacy), shape(ours), period);
            assertEquals(legacy.getJsonObject("totalCosts"), ours.getJsonObject("totalCosts"), period);
            assertEquals(legacy.getJsonArray("modelCosts"), ours.getJsonArray("modelCosts"), period);
        }
        JsonObject week = ours(token, "/admin/usage-costs?period=7days").getJsonObject("data");
        assertEquals(legacyAt("screen /admin/usage-costs", "period=all").getJsonObject("data").getJsonObject("totalCosts"),
                week.getJsonObject("totalCosts"), "the capture's whole usage falls in the last 7 days");
    }

    @Test
    void hourlyTrendEqualsTheLegacysForTheSameQuery() {
        String query = "/admin/usage-trend?granularity=hour&startDate=2026-11-22T16:00:00.000Z"
                + "&endDate=2026-11-23T15:59:59.999Z";
        assertEquals(legacy("screen /admin/usage-trend"), ours(login(), query));
        as(login()).get("/admin/usage-trend?granularity=hour&startDate=2026-11-20T00:00:00.000Z"
                + "&endDate=2026-11-23T00:00:00.000Z").then().statusCode(400);
    }

    @Test
    void modelStatsEqualTheLegacysForTheSameQuery() {
        String query = "/admin/model-stats?period=daily&startDate=2026-11-22T16:00:00.000Z&endDate=2026-11-23T15:59:59.999Z";
        assertEquals(legacy("screen /admin/model-stats"), ours(login(), query));
    }

    @Test
    void keysTrendEqualsTheLegacysForTheSameQuery() {
        String query = "/admin/api-keys-usage-trend?granularity=hour&startDate=2026-11-22T16:00:00.000Z"
                + "&endDate=2026-11-23T15:59:59.999Z&metric=requests";
        assertEquals(legacy("screen /admin/api-keys-usage-trend"), ours(login(), query));
    }

    @Test
    void accountTrendEqualsTheLegacysForTheSameQuery() {
        String query = "/admin/account-usage-trend?granularity=hour&startDate=2026-11-22T16:00:00.000Z"
                + "&endDate=2026-11-23T15:59:59.999Z&group=claude";
        assertEquals(legacy("screen /admin/account-usage-trend"), ours(login(), query));
        as(login()).get("/admin/account-usage-trend?group=azure").then().statusCode(400);
    }

    static JsonObject legacyAt(String label, String query) {
        for (JsonNode exchange : EXCHANGES) {
            if (exchange.path("label").asText().equals(label)
                    && exchange.path("request").path("target").asText().contains(query)) {
                return new JsonObject(exchange.path("response").path("body").toString());
            }
        }
        throw new AssertionError("no exchange " + label + " " + query);
    }

    @Test
    void consoleAccountUsageIsTheLegacys() {
        loadDump(true);
        JsonObject legacyUsage = legacy("screen /admin/claude-console-accounts").getJsonArray("data").getJsonObject(0)
                .getJsonObject("usage");
        JsonObject ours = ours(login(), "/admin/claude-console-accounts").getJsonArray("data").getJsonObject(0)
                .getJsonObject("usage");
        assertEquals(legacyUsage.getJsonObject("total"), ours.getJsonObject("total"));
        assertEquals(legacyUsage.getJsonObject("daily"), ours.getJsonObject("daily"));
        assertEquals(legacyUsage.getJsonObject("averages").fieldNames(), ours.getJsonObject("averages").fieldNames());
    }

    @Test
    void lastUsageNamesTheAccount() {
        JsonObject legacy = legacy("screen /admin/api-keys/batch-last-usage");
        String body = "{\"keyIds\":" + new JsonArray(List.copyOf(legacy.getJsonObject("data").fieldNames())).encode() + "}";
        JsonObject ours = new JsonObject(as(login()).contentType("application/json").body(body)
                .post("/admin/api-keys/batch-last-usage").then().statusCode(200).extract().asString());
        assertEquals(legacy, ours);
    }

    static JsonObject legacy(String label) {
        for (JsonNode exchange : EXCHANGES) {
            if (exchange.path("label").asText().equals(label)) {
                return new JsonObject(exchange.path("response").path("body").toString());
            }
        }
        throw new AssertionError("no exchange " + label);
    }

    static JsonObject ours(String token, String pathAndQuery) {
        return new JsonObject(as(token).get(pathAndQuery).then().statusCode(200).extract().asString());
    }

    @Test
    void dashboardHasTheLegacyShapeAndFigures() {
        JsonObject legacy = legacy("screen /admin/dashboard").getJsonObject("data");
        JsonObject ours = ours(login(), "/admin/dashboard").getJsonObject("data");
        assertEquals(shape(legacy), shape(ours));
        JsonObject expected = legacy.getJsonObject("overview").copy();
        JsonObject actual = ours.getJsonObject("overview");
        assertEquals(expected, actual, "overview: counts and totals follow from the data alone");
        assertEquals(legacy.getInteger("systemTimezone"), ours.getInteger("systemTimezone"));
        assertEquals(legacy.getJsonObject("realtimeMetrics").getInteger("windowMinutes"),
                ours.getJsonObject("realtimeMetrics").getInteger("windowMinutes"));
    }

    @Test
    void keyListHasTheLegacyItemsAndFigures() {
        String query = "/admin/api-keys?page=1&pageSize=10&searchMode=apiKey&sortBy=createdAt&sortOrder=desc&timeRange=today";
        JsonObject legacy = legacy("screen /admin/api-keys");
        JsonObject ours = ours(login(), query);
        assertEquals(shape(legacy), shape(ours));
        assertEquals(legacy.getJsonObject("data").getJsonObject("pagination"), ours.getJsonObject("data").getJsonObject("pagination"));
        assertEquals(legacy.getJsonObject("data").getJsonArray("availableTags"),
                ours.getJsonObject("data").getJsonArray("availableTags"));
        // the same items in the same order, field for field (lastUsedAt and the like come from the dump)
        assertEquals(legacy.getJsonObject("data").getJsonArray("items"), ours.getJsonObject("data").getJsonArray("items"));
    }

    @Test
    void consoleAccountListHasTheLegacyShape() {
        JsonObject legacy = legacy("screen /admin/claude-console-accounts");
        JsonObject ours = ours(login(), "/admin/claude-console-accounts");
        JsonObject legacyAccount = legacy.getJsonArray("data").getJsonObject(0);
        JsonObject ourAccount = ours.getJsonArray("data").getJsonObject(0);
        assertEquals(shape(legacyAccount), shape(ourAccount));
        for (String field : new String[] {"id", "name", "apiUrl", "priority", "isActive", "status", "schedulable",
                "accountType", "rateLimitDuration", "maxConcurrentTasks", "dailyQuota", "lastResetDate"}) {
            assertEquals(legacyAccount.getValue(field), ourAccount.getValue(field), field);
        }
    }

    @Test
    void smallScreensAnswerAsTheLegacy() {
        String token = login();
        assertEquals(legacy("screen /admin/supported-clients"), ours(token, "/admin/supported-clients"));
        JsonObject oem = ours(token, "/admin/oem-settings");
        assertEquals(shape(legacy("screen /admin/oem-settings")), shape(oem));
        JsonObject user = ours(token, "/web/auth/user");
        assertEquals(shape(legacy("screen /web/auth/user")), shape(user));
    }

    @Test
    void accountPageScreensAnswerAsTheLegacy() {
        String token = login();
        assertEquals(legacy("screen /admin/accounts/binding-counts"), ours(token, "/admin/accounts/binding-counts"));
        assertEquals(legacy("screen /admin/account-groups"), ours(token, "/admin/account-groups"));
        assertEquals(legacy("screen /admin/api-keys/used-models"), ours(token, "/admin/api-keys/used-models"));
        for (String empty : new String[] {"claude-accounts", "gemini-accounts", "openai-accounts", "bedrock-accounts",
                "droid-accounts", "azure-openai-accounts", "ccr-accounts"}) {
            assertEquals(new JsonObject().put("success", true).put("data", new JsonArray()),
                    ours(token, "/admin/" + empty), empty);
        }
        for (String listed : new String[] {"gemini-api-accounts", "openai-responses-accounts"}) {
            JsonObject legacyAccount = legacy("screen /admin/" + listed).getJsonArray("data").getJsonObject(0);
            JsonObject ourAccount = ours(token, "/admin/" + listed).getJsonArray("data").getJsonObject(0);
            for (String field : new String[] {"id", "name", "platform", "apiKey", "isActive", "schedulable", "status",
                    "priority", "accountType", "rateLimitStatus", "groupInfos"}) {
                assertEquals(legacyAccount.getValue(field), ourAccount.getValue(field), listed + " " + field);
            }
        }
        JsonObject status = ours(token, "/admin/api-keys/cost-sort-status").getJsonObject("data");
        assertEquals(legacy("screen /admin/api-keys/cost-sort-status").getJsonObject("data").fieldNames(), status.fieldNames());
        assertEquals("ready", status.getJsonObject("today").getString("status"));
    }

    /** Every path of object keys, arrays by their first element. */
    static Set<String> shape(Object json) {
        Set<String> paths = new TreeSet<>();
        walk("", json, paths);
        return paths;
    }

    private static void walk(String prefix, Object json, Set<String> paths) {
        if (json instanceof JsonObject object) {
            for (String key : object.fieldNames()) {
                paths.add(prefix + "." + key);
                walk(prefix + "." + key, object.getValue(key), paths);
            }
        } else if (json instanceof JsonArray array && !array.isEmpty()) {
            walk(prefix + "[]", array.getValue(0), paths);
        }
    }

    @Test
    void theShapeHelperSeesNestedFields() {
        assertTrue(shape(new JsonObject().put("a", new JsonArray().add(new JsonObject().put("b", 1)))).contains(".a[].b"));
    }
}
