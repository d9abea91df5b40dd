package dev.relay.admin.keys;

import static dev.relay.admin.http.JsValues.given;
import static dev.relay.admin.http.JsValues.integerAtLeast;
import static dev.relay.admin.http.JsValues.nonNegative;
import static dev.relay.admin.http.JsValues.number;
import static dev.relay.admin.http.JsValues.string;
import static dev.relay.admin.http.JsValues.truthy;

import dev.relay.store.LegacyValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The legacy's checks of an API-key body and the stored strings it derives (apiKeys.js POST and PUT, apiKeyService
 * generateApiKey/updateApiKey): each problem is one 400 {@code {error}} with the legacy's message.
 */
final class ApiKeyForm {
    static final Set<String> PERMISSIONS = Set.of("claude", "gemini", "openai", "droid", "all");
    private static final List<String> ACCOUNT_FIELDS = List.of("claudeAccountId", "claudeConsoleAccountId",
            "geminiAccountId", "openaiAccountId", "bedrockAccountId", "droidAccountId");

    /** A refused body: the {@code error} text. */
    static final class Invalid extends RuntimeException {
        Invalid(String error) {
            super(error, null, false, false);
        }
    }

    private ApiKeyForm() {
    }

    /** The stored fields of a new key (without {@code id}, {@code apiKey} and times), or {@link Invalid}. */
    static Map<String, String> create(JsonObject body) {
        Object name = body.getValue("name");
        if (!(name instanceof String n) || n.trim().isEmpty()) {
            throw new Invalid("Name is required and must be a non-empty string");
        }
        if (n.length() > 100) {
            throw new Invalid("Name must be less than 100 characters");
        }
        Object description = body.getValue("description");
        if (truthy(description) && (!(description instanceof String d) || d.length() > 500)) {
            throw new Invalid("Description must be a string with less than 500 characters");
        }
        if (truthy(body.getValue("tokenLimit")) && !integerAtLeast(body.getValue("tokenLimit"), 0)) {
            throw new Invalid("Token limit must be a non-negative integer");
        }
        if (given(body, "concurrencyLimit") && !integerAtLeast(body.getValue("concurrencyLimit"), 0)) {
            throw new Invalid("Concurrency limit must be a non-negative integer");
        }
        if (given(body, "rateLimitWindow") && !integerAtLeast(body.getValue("rateLimitWindow"), 1)) {
            throw new Invalid("Rate limit window must be a positive integer (minutes)");
        }
        if (given(body, "rateLimitRequests") && !integerAtLeast(body.getValue("rateLimitRequests"), 1)) {
            throw new Invalid("Rate limit requests must be a positive integer");
        }
        requireBoolean(body, "enableModelRestriction", "Enable model restriction must be a boolean");
        requireBoolean(body, "enableModelPassthrough", "Enable model passthrough must be a boolean");
        requireArray(body, "restrictedModels", "Restricted models must be an array");
        requireBoolean(body, "enableClientRestriction", "Enable client restriction must be a boolean");
        requireArray(body, "allowedClients", "Allowed clients must be an array");
        checkTags(body);
        if (given(body, "totalCostLimit") && !nonNegative(body.getValue("totalCostLimit"))) {
            throw new Invalid("Total cost limit must be a non-negative number");
        }
        String mode = body.getValue("expirationMode") instanceof String m ? m : null;
        if (truthy(body.getValue("expirationMode")) && !("fixed".equals(mode) || "activation".equals(mode))) {
            throw new Invalid("Expiration mode must be either \"fixed\" or \"activation\"");
        }
        Object unit = body.getValue("activationUnit");
        if ("activation".equals(mode)) {
            if (!("hours".equals(unit) || "days".equals(unit))) {
                throw new Invalid("Activation unit must be either \"hours\" or \"days\" when using activation mode");
            }
            if (!truthy(body.getValue("activationDays")) || !integerAtLeast(body.getValue("activationDays"), 1)) {
                throw new Invalid("Activation " + unit + " must be a positive integer when using activation mode");
            }
            if (truthy(body.getValue("expiresAt"))) {
                throw new Invalid("Cannot set fixed expiration date when using activation mode");
            }
        }
        if (given(body, "permissions") && !PERMISSIONS.contains(body.getValue("permissions"))) {
            throw new Invalid("Invalid permissions value. Must be claude, gemini, openai, droid, or all");
        }

        boolean fixed = mode == null || "fixed".equals(mode);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", n);
        f.put("description", orEmpty(description));
        f.put("tokenLimit", orZero(body.getValue("tokenLimit")));
        f.put("concurrencyLimit", orZero(body.getValue("concurrencyLimit")));
        f.put("rateLimitWindow", orZero(body.getValue("rateLimitWindow")));
        f.put("rateLimitRequests", orZero(body.getValue("rateLimitRequests")));
        f.put("rateLimitCost", orZero(body.getValue("rateLimitCost")));
        f.put("isActive", "true");
        for (String account : ACCOUNT_FIELDS) {
            f.put(account, orEmpty(body.getValue(account)));
        }
        f.put("azureOpenaiAccountId", "");
        f.put("permissions", truthy(body.getValue("permissions")) ? string(body.getValue("permissions")) : "all");
        f.put("enableModelRestriction", String.valueOf(Boolean.TRUE.equals(body.getValue("enableModelRestriction"))));
        f.put("restrictedModels", jsonArray(body.getValue("restrictedModels")));
        f.put("enableClientRestriction", String.valueOf(Boolean.TRUE.equals(body.getValue("enableClientRestriction"))));
        f.put("allowedClients", jsonArray(body.getValue("allowedClients")));
        f.put("dailyCostLimit", falsyZero(body.getValue("dailyCostLimit")));
        f.put("totalCostLimit", falsyZero(body.getValue("totalCostLimit")));
        f.put("weeklyOpusCostLimit", falsyZero(body.getValue("weeklyOpusCostLimit")));
        f.put("enableModelPassthrough", String.valueOf(Boolean.TRUE.equals(body.getValue("enableModelPassthrough"))));
        f.put("tags", jsonArray(body.getValue("tags")));
        f.put("activationDays", falsyZero(body.getValue("activationDays")));
        f.put("activationUnit", truthy(unit) ? string(unit) : "days");
        f.put("expirationMode", fixed ? "fixed" : mode);
        f.put("isActivated", String.valueOf(fixed));
        f.put("expiresAt", fixed ? orEmpty(body.getValue("expiresAt")) : "");
        f.put("icon", orEmpty(body.getValue("icon")));
        return f;
    }

    /** The fields a PUT changes, as stored strings (or {@link Invalid}); {@code isActive} follows an expiry change. */
    static Map<String, String> update(JsonObject body, Instant now) {
        Map<String, String> u = new LinkedHashMap<>();
        if (given(body, "name")) {
            String trimmed = string(body.getValue("name")).trim();
            if (trimmed.isEmpty()) {
                throw new Invalid("API Key name cannot be empty");
            }
            if (trimmed.length() > 100) {
                throw new Invalid("API Key name must be less than 100 characters");
            }
            u.put("name", trimmed);
        }
        integerField(body, u, "tokenLimit", 0, "Token limit must be a non-negative integer");
        integerField(body, u, "concurrencyLimit", 0, "Concurrency limit must be a non-negative integer");
        integerField(body, u, "rateLimitWindow", 0, "Rate limit window must be a non-negative integer (minutes)");
        integerField(body, u, "rateLimitRequests", 0, "Rate limit requests must be a non-negative integer");
        costField(body, u, "rateLimitCost", "Rate limit cost must be a non-negative number");
        for (String account : ACCOUNT_FIELDS) {
            if (body.containsKey(account)) {
                u.put(account, truthy(body.getValue(account)) ? string(body.getValue(account)) : "");
            }
        }
        if (body.containsKey("permissions")) {
            if (!PERMISSIONS.contains(body.getValue("permissions"))) {
                throw new Invalid("Invalid permissions value. Must be claude, gemini, openai, droid, or all");
            }
            u.put("permissions", (String) body.getValue("permissions"));
        }
        booleanField(body, u, "enableModelRestriction", "Enable model restriction must be a boolean");
        booleanField(body, u, "enableModelPassthrough", "Enable model passthrough must be a boolean");
        arrayField(body, u, "restrictedModels", "Restricted models must be an array");
        booleanField(body, u, "enableClientRestriction", "Enable client restriction must be a boolean");
        arrayField(body, u, "allowedClients", "Allowed clients must be an array");
        if (body.containsKey("expiresAt")) {
            Object expiresAt = body.getValue("expiresAt");
            if (expiresAt == null) {
                u.put("expiresAt", "");
                u.put("isActive", "true");
            } else {
                Instant when = parseDate(expiresAt);
                if (when == null) {
                    throw new Invalid("Invalid expiration date format");
                }
                u.put("expiresAt", string(expiresAt));
                u.put("isActive", String.valueOf(when.isAfter(now)));
            }
        }
        costField(body, u, "dailyCostLimit", "Daily cost limit must be a non-negative number");
        costField(body, u, "totalCostLimit", "Total cost limit must be a non-negative number");
        costField(body, u, "weeklyOpusCostLimit", "Weekly Opus cost limit must be a non-negative number");
        if (body.containsKey("tags")) {
            checkTags(body);
            u.put("tags", jsonArray(body.getValue("tags")));
        }
        if (body.containsKey("isActive")) {
            if (!(body.getValue("isActive") instanceof Boolean active)) {
                throw new Invalid("isActive must be a boolean");
            }
            u.put("isActive", active.toString());
        }
        if (body.containsKey("ownerId")) {
            Object owner = body.getValue("ownerId");
            if (truthy(owner) && !"admin".equals(owner)) {
                throw new Invalid("Invalid owner: User not found");
            }
            u.put("userId", "");
            u.put("userUsername", "");
            u.put("createdBy", "admin");
        }
        return u;
    }

    /** JavaScript {@code new Date(x)} for the ISO and date forms the dashboard sends; null when unreadable. */
    static Instant parseDate(Object value) {
        if (value instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        if (!(value instanceof String text) || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notOffset) {
                try {
                    return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException unreadable) {
                    return null;
                }
            }
        }
    }

    private static void integerField(JsonObject body, Map<String, String> u, String field, int min, String error) {
        if (given(body, field)) {
            if (!integerAtLeast(body.getValue(field), min)) {
                throw new Invalid(error);
            }
            u.put(field, LegacyValues.formatNumber(number(body.getValue(field))));
        }
    }

    private static void costField(JsonObject body, Map<String, String> u, String field, String error) {
        if (given(body, field)) {
            if (!nonNegative(body.getValue(field))) {
                throw new Invalid(error);
            }
            u.put(field, LegacyValues.formatNumber(number(body.getValue(field))));
        }
    }

    private static void booleanField(JsonObject body, Map<String, String> u, String field, String error) {
        if (body.containsKey(field)) {
            requireBoolean(body, field, error);
            u.put(field, body.getValue(field).toString());
        }
    }

    private static void arrayField(JsonObject body, Map<String, String> u, String field, String error) {
        if (body.containsKey(field)) {
            requireArray(body, field, error);
            u.put(field, jsonArray(body.getValue(field)));
        }
    }

    private static void requireBoolean(JsonObject body, String field, String error) {
        if (body.containsKey(field) && !(body.getValue(field) instanceof Boolean)) {
            throw new Invalid(error);
        }
    }

    private static void requireArray(JsonObject body, String field, String error) {
        if (body.containsKey(field) && !(body.getValue(field) instanceof JsonArray)) {
            throw new Invalid(error);
        }
    }

    private static void checkTags(JsonObject body) {
        requireArray(body, "tags", "Tags must be an array");
        if (body.getValue("tags") instanceof JsonArray tags) {
            for (Object tag : tags) {
                if (!(tag instanceof String t) || t.trim().isEmpty()) {
                    throw new Invalid("All tags must be non-empty strings");
                }
            }
        }
    }

    private static String jsonArray(Object value) {
        return value instanceof JsonArray array ? array.encode() : "[]";
    }

    private static String orEmpty(Object value) {
        return truthy(value) ? string(value) : "";
    }

    /** {@code String(x ?? 0)}. */
    private static String orZero(Object value) {
        return value == null ? "0" : string(value);
    }

    /** {@code String(x || 0)}. */
    private static String falsyZero(Object value) {
        return truthy(value) ? string(value) : "0";
    }
}
