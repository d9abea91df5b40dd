package dev.relay.auth;

import dev.relay.store.LegacyValues;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A client API key as stored in {@code apikey:{id}} (redis-keys.md §2.1), decoded leniently. {@code raw} keeps
 * every stored field, including ones this record does not name, so nothing is lost on a partial update.
 */
public record ApiKey(
        String id,
        String name,
        String hashedKey,
        boolean active,
        String permissions,
        long tokenLimit,
        int concurrencyLimit,
        int rateLimitWindowMinutes,
        long rateLimitRequests,
        double rateLimitCost,
        String claudeAccountId,
        String claudeConsoleAccountId,
        String bedrockAccountId,
        String geminiAccountId,
        String openaiAccountId,
        String azureOpenaiAccountId,
        String droidAccountId,
        boolean enableModelRestriction,
        List<String> restrictedModels,
        boolean enableClientRestriction,
        List<String> allowedClients,
        double dailyCostLimit,
        double totalCostLimit,
        double weeklyOpusCostLimit,
        String expirationMode,
        int activationDays,
        String activationUnit,
        boolean activated,
        String expiresAt,
        String userId,
        double fuelBalance,
        long fuelNextExpiresAtMs,
        Map<String, String> raw) {

    /** Empty or unparseable {@code expiresAt} means "never" (pitfall P5). */
    public boolean expired(Instant now) {
        Instant expiry = LegacyValues.parseIso(expiresAt);
        return expiry != null && !expiry.isAfter(now);
    }

    /** Activation-mode keys that have not been used yet get their expiry on first use. */
    public boolean awaitingActivation() {
        return "activation".equals(expirationMode) && !activated;
    }

    /** A fuel pack bypasses daily, total and window-cost limits while it has balance and has not expired. */
    public boolean fuelActive(Instant now) {
        return fuelBalance > 0 && fuelNextExpiresAtMs > now.toEpochMilli();
    }

    /** Legacy permission strings: {@code all} or one service name; missing means {@code all}. */
    public boolean permits(String service) {
        return LegacyValues.isBlank(permissions) || "all".equals(permissions) || service.equals(permissions);
    }
}
