package dev.relay.account;

import java.util.Map;

/**
 * A Claude OAuth / setup-token account, {@code claude:account:{id}} (redis-keys.md §2.4), secrets decrypted with
 * salt {@code salt}.
 *
 * @param claudeAiOauth decrypted JSON of the whole OAuth payload ({@code accessToken}, {@code refreshToken},
 *                      {@code expiresAt}, {@code scopes[]}, ...); {@code ""} when absent
 * @param expiresAtMs   access-token expiry, ms epoch (0 when missing)
 * @param scopes        space-separated scopes as stored
 */
public record ClaudeOAuthAccount(
        String id,
        String name,
        String description,
        String email,
        String password,
        String claudeAiOauth,
        String accessToken,
        String refreshToken,
        long expiresAtMs,
        String scopes,
        String proxy,
        boolean active,
        String accountType,
        String platform,
        int priority,
        String status,
        String errorMessage,
        boolean schedulable,
        String subscriptionInfo,
        String subscriptionExpiresAt,
        String extInfo,
        int maxConcurrency,
        boolean autoStopOnWarning,
        boolean useUnifiedUserAgent,
        boolean useUnifiedClientId,
        String unifiedClientId,
        boolean interceptWarmup,
        String rateLimitStatus,
        String rateLimitedAt,
        String rateLimitEndAt,
        String lastUsedAt,
        Map<String, String> raw) {
}
