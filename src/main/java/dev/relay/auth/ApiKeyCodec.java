package dev.relay.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.store.LegacyValues;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an {@code apikey:{id}} hash (redis-keys.md §2.1) into an {@link ApiKey} the lenient way the legacy does
 * (pitfall P5): missing or {@code ""} fields take their defaults, numbers use JS {@code parseInt}/{@code parseFloat},
 * unparseable JSON arrays read as empty. Never throws.
 */
public final class ApiKeyCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiKeyCodec() {
    }

    public static ApiKey decode(Map<String, String> hash) {
        Map<String, String> raw = Collections.unmodifiableMap(new LinkedHashMap<>(hash));
        return new ApiKey(
                text(raw, "id"),
                text(raw, "name"),
                text(raw, "apiKey"),
                LegacyValues.isTrue(raw.get("isActive")),
                orDefault(raw, "permissions", "all"),
                LegacyValues.parseInt(raw.get("tokenLimit")),
                (int) LegacyValues.parseInt(raw.get("concurrencyLimit")),
                (int) LegacyValues.parseInt(raw.get("rateLimitWindow")),
                LegacyValues.parseInt(raw.get("rateLimitRequests")),
                LegacyValues.parseFloat(raw.get("rateLimitCost")),
                text(raw, "claudeAccountId"),
                text(raw, "claudeConsoleAccountId"),
                text(raw, "bedrockAccountId"),
                text(raw, "geminiAccountId"),
                text(raw, "openaiAccountId"),
                text(raw, "azureOpenaiAccountId"),
                text(raw, "droidAccountId"),
                LegacyValues.isTrue(raw.get("enableModelRestriction")),
                LegacyValues.jsonStrings(raw.get("restrictedModels")),
                LegacyValues.isTrue(raw.get("enableClientRestriction")),
                LegacyValues.jsonStrings(raw.get("allowedClients")),
                LegacyValues.parseFloat(raw.get("dailyCostLimit")),
                LegacyValues.parseFloat(raw.get("totalCostLimit")),
                LegacyValues.parseFloat(raw.get("weeklyOpusCostLimit")),
                orDefault(raw, "expirationMode", "fixed"),
                activationDays(raw.get("activationDays")),
                orDefault(raw, "activationUnit", "days"),
                LegacyValues.isTrue(raw.get("isActivated")),
                text(raw, "expiresAt"),
                text(raw, "userId"),
                LegacyValues.parseFloat(raw.get("fuelBalance")),
                LegacyValues.parseInt(raw.get("fuelNextExpiresAtMs")),
                raw);
    }

    /**
     * Legacy {@code parseInt(activationDays || 30)}: only a missing/empty value defaults to 30; {@code "0"} stays 0.
     * (Node turns garbage into NaN and fails the request; we read it as 0.)
     */
    static int activationDays(String text) {
        return LegacyValues.isBlank(text) ? 30 : (int) LegacyValues.parseInt(text);
    }


    private static String text(Map<String, String> raw, String field) {
        String value = raw.get(field);
        return value == null ? "" : value;
    }

    private static String orDefault(Map<String, String> raw, String field, String fallback) {
        String value = raw.get(field);
        return LegacyValues.isBlank(value) ? fallback : value;
    }
}
