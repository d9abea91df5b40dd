package dev.relay.account;

import java.util.Map;

/**
 * An OpenAI Responses (API key) account, {@code openai_responses_account:{id}}; key decrypted with salt
 * {@code openai-responses-salt}.
 *
 * @param rateLimitDurationMinutes 60 when missing or 0
 */
public record OpenAIResponsesAccount(
        AccountProfile profile,
        String baseApi,
        String apiKey,
        String userAgent,
        String rateLimitResetAt,
        int rateLimitDurationMinutes,
        double dailyQuota,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.OPENAI_RESPONSES;
    }
}
