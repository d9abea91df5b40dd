package dev.relay.admin.accounts;

import dev.relay.store.LegacyValues;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * A generic dashboard view of a stored account of any platform: every field as stored, secrets removed (the
 * encrypted blobs) or masked ({@code apiKey} as {@code ***}, as the legacy's list shows it), the flags as booleans
 * and the common additions of the account lists (the caller adds {@code usage}).
 */
public final class StoredAccountJson {
    private static final Set<String> REMOVED = Set.of("password", "claudeAiOauth", "accessToken", "refreshToken",
            "geminiOauth", "idToken", "openaiOauth", "awsCredentials", "email");

    private StoredAccountJson() {
    }

    public static JsonObject view(Map<String, String> stored) {
        JsonObject json = new JsonObject();
        stored.forEach((field, value) -> {
            if (REMOVED.contains(field)) {
                return;
            }
            json.put(field, "apiKey".equals(field) && !value.isEmpty() ? "***" : value);
        });
        json.put("isActive", "true".equals(stored.get("isActive")));
        json.put("schedulable", !"false".equals(stored.get("schedulable")));
        json.put("hasRefreshToken", !LegacyValues.isBlank(stored.get("refreshToken")));
        boolean limited = "limited".equals(stored.get("rateLimitStatus"));
        json.put("rateLimitStatus", new JsonObject().put("isRateLimited", limited)
                .put("rateLimitedAt", LegacyValues.isBlank(stored.get("rateLimitedAt")) ? null : stored.get("rateLimitedAt"))
                .put("minutesRemaining", 0));
        String subscription = stored.get("subscriptionExpiresAt");
        json.put("expiresAt", LegacyValues.isBlank(subscription) ? null : subscription);
        json.put("tokenExpiresAt", LegacyValues.isBlank(stored.get("expiresAt")) ? null : stored.get("expiresAt"));
        json.put("groupInfos", new io.vertx.core.json.JsonArray());
        return json;
    }
}
