package dev.relay.account;

import java.util.Map;

/**
 * An OpenAI (ChatGPT/Codex) OAuth account, {@code openai:account:{id}} (redis-keys.md §2.4), secrets decrypted
 * with salt {@code openai-account-salt}.
 *
 * @param rateLimitDurationMinutes 60 when missing or 0
 * @param chatgptAccountId         the stored {@code accountId} field (ChatGPT account id)
 * @param openaiOauth              decrypted JSON of the OAuth payload
 */
public record OpenAIOAuthAccount(
        AccountProfile profile,
        String groupId,
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
        String rateLimitResetAt,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.OPENAI_OAUTH;
    }
}
