package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * A Gemini OAuth account, {@code gemini_account:{id}} (redis-keys.md §2.4), secrets decrypted with salt
 * {@code gemini-account-salt}.
 *
 * @param geminiOauth     decrypted JSON {@code {"access_token","refresh_token","scope","token_type","expiry_date"}}
 * @param expiresAt       ISO access-token expiry
 * @param supportedModels stored as ioredis comma-joined array text (pitfall P11), usually empty
 */
public record GeminiOAuthAccount(
        String id,
        String name,
        String description,
        String accountType,
        boolean active,
        String status,
        boolean schedulable,
        int priority,
        String geminiOauth,
        String accessToken,
        String refreshToken,
        String expiresAt,
        String scopes,
        String subscriptionExpiresAt,
        String proxy,
        String projectId,
        String tempProjectId,
        List<String> supportedModels,
        String errorMessage,
        String rateLimitStatus,
        String rateLimitedAt,
        String lastUsedAt,
        Map<String, String> raw) {
}
