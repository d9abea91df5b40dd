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
        AccountProfile profile,
        String geminiOauth,
        String accessToken,
        String refreshToken,
        String expiresAt,
        String scopes,
        String projectId,
        String tempProjectId,
        List<String> supportedModels,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.GEMINI_OAUTH;
    }
}
