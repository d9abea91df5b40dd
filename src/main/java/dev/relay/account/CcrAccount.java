package dev.relay.account;

import java.util.Map;

/**
 * A CCR account, {@code ccr_account:{id}} (redis-keys.md §2.4): Console-like, API key decrypted with salt
 * {@code ccr-account-salt}. Its rate limit is marked with {@code rateLimitStatus=active} (pitfall P15).
 */
public record CcrAccount(
        AccountProfile profile,
        ConsoleSettings settings,
        String overloadedAt,
        Map<String, String> raw) implements ConsoleLikeAccount {

    @Override
    public Platform platform() {
        return Platform.CCR;
    }
}
