package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * A CCR account, {@code ccr_account:{id}} (redis-keys.md §2.4): Console-like, API key decrypted with salt
 * {@code ccr-account-salt}. Its rate limit is marked with {@code rateLimitStatus=active} (pitfall P15).
 */
public record CcrAccount(
        String id,
        String name,
        String description,
        String apiUrl,
        String apiKey,
        int priority,
        Map<String, String> modelMapping,
        List<String> modelAllowList,
        String userAgent,
        int rateLimitDurationMinutes,
        String proxy,
        boolean active,
        String accountType,
        String status,
        boolean schedulable,
        String rateLimitStatus,
        String rateLimitedAt,
        String overloadedAt,
        String subscriptionExpiresAt,
        double dailyQuota,
        String lastUsedAt,
        Map<String, String> raw) {
}
