package dev.relay.account;

import java.util.Map;

/**
 * A Claude OAuth / setup-token account, {@code claude:account:{id}} (redis-keys.md §2.4), secrets decrypted with
 * salt {@code salt}.
 *
 * @param claudeAiOauth  decrypted JSON of the whole OAuth payload ({@code accessToken}, {@code refreshToken},
 *                       {@code expiresAt}, {@code scopes[]}, ...); {@code ""} when absent
 * @param expiresAtMs    access-token expiry, ms epoch (0 when missing)
 * @param scopes         space-separated scopes as stored
 * @param storedPlatform the stored {@code platform} field, {@code claude} when missing
 */
public record ClaudeOAuthAccount(
        AccountProfile profile,
        String email,
        String password,
        String claudeAiOauth,
        String accessToken,
        String refreshToken,
        long expiresAtMs,
        String scopes,
        String storedPlatform,
        String subscriptionInfo,
        String extInfo,
        int maxConcurrency,
        boolean autoStopOnWarning,
        boolean useUnifiedUserAgent,
        boolean useUnifiedClientId,
        String unifiedClientId,
        boolean interceptWarmup,
        String rateLimitEndAt,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.CLAUDE_OAUTH;
    }

    /** A stored field this record does not decode ({@code ""} when missing). */
    public String field(String name) {
        String value = raw.get(name);
        return value == null ? "" : value;
    }

    /** {@code rateLimitAutoStopped=true}: the 429 handler (not an admin) stopped scheduling. */
    public boolean rateLimitAutoStopped() {
        return "true".equals(raw.get("rateLimitAutoStopped"));
    }

    /** The same account with a newly stored access token (after a refresh). */
    public ClaudeOAuthAccount withTokens(String newAccessToken, String newRefreshToken, long newExpiresAtMs) {
        return new ClaudeOAuthAccount(profile, email, password, claudeAiOauth, newAccessToken, newRefreshToken,
                newExpiresAtMs, scopes, storedPlatform, subscriptionInfo, extInfo, maxConcurrency, autoStopOnWarning,
                useUnifiedUserAgent, useUnifiedClientId, unifiedClientId, interceptWarmup, rateLimitEndAt, raw);
    }
}
