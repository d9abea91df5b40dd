package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * A Gemini API-key account, {@code gemini_api_account:{id}}; key decrypted with salt {@code gemini-api-salt}.
 *
 * @param rateLimitDurationMinutes 60 when missing or 0
 */
public record GeminiApiAccount(
        AccountProfile profile,
        String baseUrl,
        String apiKey,
        List<String> supportedModels,
        int rateLimitDurationMinutes,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.GEMINI_API;
    }
}
