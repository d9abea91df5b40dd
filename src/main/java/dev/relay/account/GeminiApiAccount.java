package dev.relay.account;

import java.util.List;
import java.util.Map;

/** A Gemini API-key account, {@code gemini_api_account:{id}}; key decrypted with salt {@code gemini-api-salt}. */
public record GeminiApiAccount(
        String id,
        String name,
        String description,
        String baseUrl,
        String apiKey,
        int priority,
        String proxy,
        boolean active,
        String accountType,
        boolean schedulable,
        List<String> supportedModels,
        String status,
        String errorMessage,
        String rateLimitStatus,
        String rateLimitedAt,
        int rateLimitDurationMinutes,
        String lastUsedAt,
        Map<String, String> raw) {
}
