package dev.relay.admin.accounts;

import static dev.relay.admin.http.JsValues.string;
import static dev.relay.admin.http.JsValues.truthy;

import dev.relay.account.SecretCipher;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy's checks and stored strings of a Claude OAuth account (claudeAccounts.js, claudeAccountService.js
 * createAccount/updateAccount; fixture 02's claude-oauth step): secrets encrypted with the {@code salt} cipher.
 */
final class ClaudeAccountForm {
    private static final Set<String> TYPES = Set.of("shared", "dedicated", "group");
    /** updateAccount's allowed fields that are stored as plain strings. */
    private static final List<String> PLAIN = List.of("name", "description", "isActive", "accountType",
            "useUnifiedUserAgent", "useUnifiedClientId", "unifiedClientId", "autoStopOnWarning", "interceptWarmup");
    /** What a manual schedulable change clears (so no automatic recovery re-enables the account). */
    static final List<String> AUTO_STOP = List.of("rateLimitAutoStopped", "fiveHourAutoStopped", "fiveHourStoppedAt",
            "tempErrorAutoStopped", "autoStoppedAt", "stoppedReason");

    static final class Invalid extends RuntimeException {
        Invalid(String error) {
            super(error, null, false, false);
        }
    }

    private ClaudeAccountForm() {
    }

    static void check(JsonObject body, boolean creating) {
        if (creating && !truthy(body.getValue("name"))) {
            throw new Invalid("Name is required");
        }
        Object type = body.getValue("accountType");
        if (truthy(type) && !TYPES.contains(type)) {
            throw new Invalid("Invalid account type. Must be \"shared\", \"dedicated\" or \"group\"");
        }
        if ("group".equals(type) && !truthy(body.getValue("groupId"))
                && !(body.getValue("groupIds") instanceof JsonArray ids && !ids.isEmpty())) {
            throw new Invalid("Group ID or Group IDs are required for group type accounts");
        }
        Object priority = body.getValue("priority");
        if (priority != null && (!(priority instanceof Number n) || n.doubleValue() < 1 || n.doubleValue() > 100)) {
            throw new Invalid("Priority must be a number between 1 and 100");
        }
        Object max = body.getValue("maxConcurrency");
        if ((creating || body.containsKey("maxConcurrency")) && max != null && !"".equals(max)) {
            double parsed = dev.relay.admin.http.JsValues.number(max);
            if (Double.isNaN(parsed) || parsed != Math.rint(parsed) || parsed < 0) {
                throw new Invalid("maxConcurrency must be a non-negative integer");
            }
        }
        Object oauth = body.getValue("claudeAiOauth");
        if (oauth != null && !(oauth instanceof JsonObject o && o.getValue("accessToken") instanceof String
                && o.getValue("expiresAt") != null && o.getValue("scopes") instanceof JsonArray)) {
            throw new Invalid("claudeAiOauth needs accessToken, expiresAt and scopes");
        }
    }

    /** createAccount's hash; with {@code claudeAiOauth} the account is active, without it {@code created}. */
    static Map<String, String> create(JsonObject b, String id, String now, SecretCipher cipher) {
        JsonObject oauth = b.getJsonObject("claudeAiOauth");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("name", string(b.getValue("name")));
        f.put("description", b.getValue("description") == null ? "" : string(b.getValue("description")));
        f.put("email", secret(cipher, b.getValue("email")));
        f.put("password", secret(cipher, b.getValue("password")));
        if (oauth != null) {
            f.put("claudeAiOauth", cipher.encrypt(oauth.encode()));
            f.put("accessToken", secret(cipher, oauth.getValue("accessToken")));
            f.put("refreshToken", secret(cipher, oauth.getValue("refreshToken")));
            f.put("expiresAt", string(oauth.getValue("expiresAt")));
            f.put("scopes", String.join(" ", oauth.getJsonArray("scopes").stream().map(String::valueOf).toList()));
        } else {
            f.put("refreshToken", secret(cipher, b.getValue("refreshToken")));
            f.put("accessToken", "");
            f.put("expiresAt", "");
            f.put("scopes", "");
        }
        f.put("proxy", truthy(b.getValue("proxy")) ? Json.encode(b.getValue("proxy")) : "");
        f.put("isActive", "true");
        f.put("accountType", truthy(b.getValue("accountType")) ? string(b.getValue("accountType")) : "shared");
        f.put("platform", truthy(b.getValue("platform")) ? string(b.getValue("platform")) : "claude");
        f.put("priority", truthy(b.getValue("priority")) ? string(b.getValue("priority")) : "50");
        f.put("createdAt", now);
        f.put("lastUsedAt", "");
        f.put("lastRefreshAt", "");
        f.put("status", oauth != null ? "active" : "created");
        f.put("errorMessage", "");
        f.put("schedulable", "true");
        f.put("autoStopOnWarning", String.valueOf(Boolean.TRUE.equals(b.getValue("autoStopOnWarning"))));
        f.put("useUnifiedUserAgent", String.valueOf(Boolean.TRUE.equals(b.getValue("useUnifiedUserAgent"))));
        if (oauth != null) {
            f.put("useUnifiedClientId", String.valueOf(Boolean.TRUE.equals(b.getValue("useUnifiedClientId"))));
            f.put("unifiedClientId", truthy(b.getValue("unifiedClientId")) ? string(b.getValue("unifiedClientId")) : "");
        }
        Object subscription = oauth != null && oauth.getValue("subscriptionInfo") != null && b.getValue("subscriptionInfo") == null
                ? oauth.getValue("subscriptionInfo") : b.getValue("subscriptionInfo");
        f.put("subscriptionInfo", subscription == null ? "" : Json.encode(subscription));
        f.put("subscriptionExpiresAt", truthy(b.getValue("expiresAt")) ? string(b.getValue("expiresAt")) : "");
        f.put("extInfo", b.getValue("extInfo") instanceof JsonObject ext ? ext.encode() : "");
        Object max = b.getValue("maxConcurrency");
        f.put("maxConcurrency", max == null || "".equals(max) ? "0"
                : dev.relay.store.LegacyValues.formatNumber(dev.relay.admin.http.JsValues.number(max)));
        f.put("interceptWarmup", String.valueOf(Boolean.TRUE.equals(b.getValue("interceptWarmup"))));
        return f;
    }

    /** updateAccount: the allowed fields, secrets encrypted; new OAuth data makes the account active again. */
    static Map<String, String> update(JsonObject b, SecretCipher cipher, String now) {
        Map<String, String> u = new LinkedHashMap<>();
        PLAIN.forEach(field -> {
            if (b.containsKey(field)) {
                u.put(field, b.getValue(field) == null ? "" : string(b.getValue(field)));
            }
        });
        for (String field : List.of("email", "password", "refreshToken")) {
            if (b.containsKey(field)) {
                u.put(field, secret(cipher, b.getValue(field)));
            }
        }
        if (b.containsKey("proxy")) {
            u.put("proxy", truthy(b.getValue("proxy")) ? Json.encode(b.getValue("proxy")) : "");
        }
        for (String field : List.of("priority", "maxConcurrency")) {
            if (b.getValue(field) != null) {
                u.put(field, dev.relay.store.LegacyValues.formatNumber(dev.relay.admin.http.JsValues.number(b.getValue(field))));
            }
        }
        if (b.containsKey("subscriptionInfo")) {
            Object info = b.getValue("subscriptionInfo");
            u.put("subscriptionInfo", info instanceof String s ? s : Json.encode(info));
        }
        Object expiry = b.containsKey("expiresAt") ? b.getValue("expiresAt") : b.getValue("subscriptionExpiresAt");
        if (b.containsKey("expiresAt") || b.containsKey("subscriptionExpiresAt")) {
            u.put("subscriptionExpiresAt", truthy(expiry) ? string(expiry) : "");
        }
        if (b.containsKey("extInfo")) {
            u.put("extInfo", b.getValue("extInfo") instanceof JsonObject ext ? ext.encode() : "");
        }
        if (b.getValue("claudeAiOauth") instanceof JsonObject oauth) {
            u.put("claudeAiOauth", cipher.encrypt(oauth.encode()));
            u.put("accessToken", secret(cipher, oauth.getValue("accessToken")));
            u.put("refreshToken", secret(cipher, oauth.getValue("refreshToken")));
            u.put("expiresAt", string(oauth.getValue("expiresAt")));
            u.put("scopes", String.join(" ", oauth.getJsonArray("scopes").stream().map(String::valueOf).toList()));
            u.put("status", "active");
            u.put("errorMessage", "");
            u.put("lastRefreshAt", now);
        }
        if (b.containsKey("schedulable")) {
            u.put("schedulable", string(b.getValue("schedulable")));
        }
        u.put("updatedAt", now);
        return u;
    }

    /** _encryptSensitiveData: empty stays empty. */
    private static String secret(SecretCipher cipher, Object value) {
        return truthy(value) ? cipher.encrypt(string(value)) : "";
    }
}
