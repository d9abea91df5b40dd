package dev.relay.admin.keys;

import dev.relay.admin.http.JsonNumbers;
import dev.relay.store.LegacyValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/** How the legacy shows a stored key to the dashboard (redis.js _parseApiKeyData and the routes around it). */
final class ApiKeyJson {
    private static final Set<String> BOOLEANS = Set.of("isActive", "enableModelRestriction", "isDeleted");
    private static final Set<String> NUMBERS = Set.of("tokenLimit", "dailyCostLimit", "totalCostLimit",
            "rateLimitRequests", "rateLimitTokens", "rateLimitWindow", "rateLimitCost", "maxConcurrency",
            "activationDuration");
    private static final Set<String> ARRAYS = Set.of("tags", "restrictedModels", "allowedClients");
    /** What getAllApiKeys converts on top (the deleted list). */
    private static final Set<String> MORE_BOOLEANS = Set.of("enableClientRestriction", "enableModelPassthrough",
            "isActivated");
    private static final Set<String> MORE_NUMBERS = Set.of("concurrencyLimit", "weeklyOpusCostLimit", "activationDays");

    private ApiKeyJson() {
    }

    /** The list's view: three booleans, nine numbers, three arrays; everything else stays a string. */
    static JsonObject parsed(Map<String, String> stored) {
        JsonObject json = new JsonObject();
        stored.forEach((field, value) -> json.put(field, convert(field, value, false)));
        return json;
    }

    /** The deleted list's view (getAllApiKeys): more booleans and numbers. */
    static JsonObject typed(Map<String, String> stored) {
        JsonObject json = new JsonObject();
        stored.forEach((field, value) -> {
            if (!"apiKey".equals(field)) {
                json.put(field, convert(field, value, true));
            }
        });
        return json;
    }

    /** The stored strings as they are (the restore answer). */
    static JsonObject raw(Map<String, String> stored) {
        JsonObject json = new JsonObject();
        stored.forEach(json::put);
        return json;
    }

    /** generateApiKey's answer: the raw key once, typed fields, no hash. */
    static JsonObject created(String rawKey, Map<String, String> f) {
        return new JsonObject().put("id", f.get("id")).put("apiKey", rawKey).put("name", f.get("name"))
                .put("description", f.get("description"))
                .put("tokenLimit", LegacyValues.parseInt(f.get("tokenLimit")))
                .put("concurrencyLimit", LegacyValues.parseInt(f.get("concurrencyLimit")))
                .put("rateLimitWindow", LegacyValues.parseInt(f.get("rateLimitWindow")))
                .put("rateLimitRequests", LegacyValues.parseInt(f.get("rateLimitRequests")))
                .put("rateLimitCost", number(f.get("rateLimitCost")))
                .put("isActive", "true".equals(f.get("isActive")))
                .put("claudeAccountId", f.get("claudeAccountId")).put("claudeConsoleAccountId", f.get("claudeConsoleAccountId"))
                .put("geminiAccountId", f.get("geminiAccountId")).put("openaiAccountId", f.get("openaiAccountId"))
                .put("azureOpenaiAccountId", f.get("azureOpenaiAccountId")).put("bedrockAccountId", f.get("bedrockAccountId"))
                .put("droidAccountId", f.get("droidAccountId")).put("permissions", f.get("permissions"))
                .put("enableModelRestriction", "true".equals(f.get("enableModelRestriction")))
                .put("restrictedModels", array(f.get("restrictedModels")))
                .put("enableClientRestriction", "true".equals(f.get("enableClientRestriction")))
                .put("allowedClients", array(f.get("allowedClients")))
                .put("dailyCostLimit", number(f.get("dailyCostLimit")))
                .put("totalCostLimit", number(f.get("totalCostLimit")))
                .put("weeklyOpusCostLimit", number(f.get("weeklyOpusCostLimit")))
                .put("enableModelPassthrough", "true".equals(f.get("enableModelPassthrough")))
                .put("tags", array(f.get("tags")))
                .put("activationDays", LegacyValues.parseInt(f.get("activationDays")))
                .put("activationUnit", f.get("activationUnit")).put("expirationMode", f.get("expirationMode"))
                .put("isActivated", "true".equals(f.get("isActivated"))).put("activatedAt", f.get("activatedAt"))
                .put("createdAt", f.get("createdAt")).put("expiresAt", f.get("expiresAt"))
                .put("createdBy", f.get("createdBy"));
    }

    private static Object convert(String field, String value, boolean more) {
        if (BOOLEANS.contains(field) || (more && MORE_BOOLEANS.contains(field))) {
            return "true".equals(value);
        }
        if ((NUMBERS.contains(field) || (more && MORE_NUMBERS.contains(field))) && !value.isEmpty()) {
            return number(value);
        }
        if (ARRAYS.contains(field) && !value.isEmpty()) {
            return array(value);
        }
        return value;
    }

    static Number number(String value) {
        return JsonNumbers.of(LegacyValues.parseFloat(value));
    }

    static JsonArray array(String value) {
        if (value == null || value.isEmpty()) {
            return new JsonArray();
        }
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(value);
            return parsed instanceof JsonArray array ? array : new JsonArray();
        } catch (RuntimeException unreadable) {
            return new JsonArray();
        }
    }
}
