package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * A Droid (Factory) account, {@code droid:account:{id}} (redis-keys.md §2.4); secrets decrypted with salt
 * {@code droid-account-salt}, including each {@code apiKeys[].encryptedKey}.
 *
 * @param storedPlatform the stored {@code platform} field, {@code droid} when missing
 * @param endpointType   {@code anthropic} (default when missing), {@code openai} or {@code comm}
 */
public record DroidAccount(
        AccountProfile profile,
        String storedPlatform,
        String endpointType,
        String authenticationMethod,
        String accessToken,
        String refreshToken,
        String expiresAt,
        List<DroidApiKey> apiKeys,
        String apiKeyStrategy,
        String userAgent,
        Map<String, String> raw) implements Account {

    @Override
    public Platform platform() {
        return Platform.DROID;
    }

    /**
     * One entry of the {@code apiKeys} JSON array.
     *
     * @param hash sha256 hex of the trimmed raw key, as stored
     * @param key  the decrypted raw key ({@code ""} when undecryptable)
     */
    public record DroidApiKey(
            String id,
            String hash,
            String key,
            String createdAt,
            String lastUsedAt,
            long usageCount,
            String status,
            String errorMessage) {
    }
}
