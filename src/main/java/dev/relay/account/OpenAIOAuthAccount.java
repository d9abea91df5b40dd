package dev.relay.account;

import java.util.Map;

/**
 * An OpenAI (ChatGPT/Codex) OAuth account, {@code openai:account:{id}} (redis-keys.md §2.4), secrets decrypted
 * with salt {@code openai-account-salt}.
 *
 * @param chatgptAccountId the stored {@code accountId} field (ChatGPT account id)
 * @param openaiOauth      decrypted JSON of the OAuth payload
 */
public record OpenAIOAuthAccount(
        String id,
        String name,
        String description,
        String accountType,
        String groupId,
        int priority,
        int rateLimitDurationMinutes,
        String idToken,
        String accessToken,
        String refreshToken,
        String openaiOauth,
        String email,
        String chatgptAccountId,
        String chatgptUserId,
        String organizationId,
        String planType,
        String expiresAt,
        String subscriptionExpiresAt,
        boolean active,
        String status,
        boolean schedulable,
        String proxy,
        String rateLimitStatus,
        String rateLimitedAt,
        String rateLimitResetAt,
        String errorMessage,
        String lastUsedAt,
        Map<String, String> raw) {
}
