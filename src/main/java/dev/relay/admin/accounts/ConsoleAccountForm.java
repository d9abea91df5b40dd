package dev.relay.admin.accounts;

import static dev.relay.admin.http.JsValues.number;
import static dev.relay.admin.http.JsValues.string;
import static dev.relay.admin.http.JsValues.truthy;

import dev.relay.admin.http.JsValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The legacy's checks and stored strings of a Claude Console account (claudeConsoleAccounts.js, the service). */
final class ConsoleAccountForm {
    static final Set<String> TYPES = Set.of("shared", "dedicated", "group");

    static final class Invalid extends RuntimeException {
        Invalid(String error) {
            super(error, null, false, false);
        }
    }

    private ConsoleAccountForm() {
    }

    static void check(JsonObject body, boolean creating) {
        if (creating && (!truthy(body.getValue("name")) || !truthy(body.getValue("apiUrl"))
                || !truthy(body.getValue("apiKey")))) {
            throw new Invalid("Name, API URL and API Key are required");
        }
        if (body.getValue("priority") != null) {
            double priority = number(body.getValue("priority"));
            if (priority < 1 || priority > 100) {
                throw new Invalid("Priority must be between 1 and 100");
            }
        }
        if (body.getValue("maxConcurrentTasks") != null && !JsValues.integerAtLeast(body.getValue("maxConcurrentTasks"), 0)) {
            throw new Invalid("maxConcurrentTasks must be a non-negative integer");
        }
        Object type = body.getValue("accountType");
        if (truthy(type) && !TYPES.contains(type)) {
            throw new Invalid("Invalid account type. Must be \"shared\", \"dedicated\" or \"group\"");
        }
        if ("group".equals(type) && !truthy(body.getValue("groupId")) && !(body.getValue("groupIds") instanceof JsonArray)) {
            throw new Invalid("Group ID is required for group type accounts");
        }
    }

    /** The hash of a new account (secret still plain: the caller encrypts {@code apiKey}). */
    static Map<String, String> create(JsonObject b, String id, String now, String today) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("platform", "claude-console");
        f.put("name", string(b.getValue("name")));
        f.put("description", truthy(b.getValue("description")) ? string(b.getValue("description")) : "");
        f.put("apiUrl", string(b.getValue("apiUrl")));
        f.put("apiKey", string(b.getValue("apiKey")));
        f.put("priority", truthy(b.getValue("priority")) ? string(b.getValue("priority")) : "50");
        f.put("supportedModels", modelMapping(b.getValue("supportedModels")));
        f.put("userAgent", truthy(b.getValue("userAgent")) ? string(b.getValue("userAgent")) : "claude-cli/1.0.69 (external, cli)");
        f.put("rateLimitDuration", b.getValue("rateLimitDuration") != null ? string(b.getValue("rateLimitDuration")) : "60");
        f.put("proxy", truthy(b.getValue("proxy")) ? io.vertx.core.json.Json.encode(b.getValue("proxy")) : "");
        f.put("isActive", "true");
        f.put("accountType", truthy(b.getValue("accountType")) ? string(b.getValue("accountType")) : "shared");
        f.put("createdAt", now);
        f.put("lastUsedAt", "");
        f.put("status", "active");
        f.put("errorMessage", "");
        f.put("subscriptionExpiresAt", "");
        f.put("rateLimitedAt", "");
        f.put("rateLimitStatus", "");
        f.put("schedulable", "true");
        f.put("dailyQuota", truthy(b.getValue("dailyQuota")) ? string(b.getValue("dailyQuota")) : "0");
        f.put("dailyUsage", "0");
        f.put("lastResetDate", today);
        f.put("quotaResetTime", truthy(b.getValue("quotaResetTime")) ? string(b.getValue("quotaResetTime")) : "00:00");
        f.put("quotaStoppedAt", "");
        f.put("maxConcurrentTasks", b.getValue("maxConcurrentTasks") != null
                ? dev.relay.store.LegacyValues.formatNumber(number(b.getValue("maxConcurrentTasks"))) : "0");
        f.put("disableAutoProtection", String.valueOf(isTrue(b.getValue("disableAutoProtection"))));
        f.put("interceptWarmup", String.valueOf(isTrue(b.getValue("interceptWarmup"))));
        return f;
    }

    /** The fields a PUT changes (updateAccount); {@code apiKey} still plain. {@code expiresAt} is the subscription's. */
    static Map<String, String> update(JsonObject b) {
        Map<String, String> u = new LinkedHashMap<>();
        for (String field : new String[] {"name", "description", "apiUrl", "apiKey", "priority", "userAgent",
                "rateLimitDuration", "isActive", "dailyQuota", "quotaResetTime", "maxConcurrentTasks",
                "disableAutoProtection", "interceptWarmup"}) {
            if (b.containsKey(field) && b.getValue(field) != null) {
                u.put(field, string(b.getValue(field)));
            }
        }
        if (b.containsKey("supportedModels")) {
            u.put("supportedModels", modelMapping(b.getValue("supportedModels")));
        }
        if (b.containsKey("proxy")) {
            u.put("proxy", truthy(b.getValue("proxy")) ? io.vertx.core.json.Json.encode(b.getValue("proxy")) : "");
        }
        if (b.containsKey("schedulable")) {
            schedulable(u, string(b.getValue("schedulable")));
        }
        Object expiry = b.containsKey("expiresAt") ? b.getValue("expiresAt") : b.getValue("subscriptionExpiresAt");
        if (b.containsKey("expiresAt") || b.containsKey("subscriptionExpiresAt")) {
            u.put("subscriptionExpiresAt", expiry == null ? "" : string(expiry));
        }
        return u;
    }

    /** A manual schedulable change also clears the automatic stop markers (so nothing re-enables it on its own). */
    static void schedulable(Map<String, String> u, String value) {
        u.put("schedulable", value);
        u.put("rateLimitAutoStopped", "");
        u.put("quotaAutoStopped", "");
        u.put("autoStoppedAt", "");
        u.put("stoppedReason", "");
    }

    /** _processModelMapping: a list becomes a self-mapping, an object stays, anything empty is {@code {}}. */
    static String modelMapping(Object value) {
        if (value instanceof JsonObject mapping) {
            return mapping.encode();
        }
        JsonObject mapping = new JsonObject();
        if (value instanceof JsonArray list) {
            list.forEach(model -> {
                if (model instanceof String m && !m.isEmpty()) {
                    mapping.put(m, m);
                }
            });
        }
        return mapping.encode();
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }
}
