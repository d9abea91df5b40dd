package dev.relay.account;

import java.util.Map;

/**
 * An OpenAI Responses (API key) account, {@code openai_responses_account:{id}}; key decrypted with salt
 * {@code openai-responses-salt}.
 */
public record OpenAIResponsesAccount(
        String id,
        String name,
        String description,
        String baseApi,
        String apiKey,
        String userAgent,
        int priority,
        String proxy,
        boolean active,
        String accountType,
        boolean schedulable,
        String subscriptionExpiresAt,
        String status,
        String errorMessage,
        String rateLimitStatus,
        String rateLimitedAt,
        String rateLimitResetAt,
        int rateLimitDurationMinutes,
        double dailyQuota,
        String lastUsedAt,
        Map<String, String> raw) {
}
