package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * What Claude Console and CCR accounts share beyond the profile (CCR is "Console-like", redis-keys.md §2.4): the
 * Anthropic-compatible endpoint, its key, the model rules, the 429 handling and the daily quota.
 *
 * @param apiKey                   decrypted
 * @param modelMapping             requested model → upstream model, from an object-form {@code supportedModels}
 * @param modelAllowList           from the legacy array form of {@code supportedModels}; empty with an empty mapping
 *                                 = all models
 * @param userAgent                the platform's default when missing (CCR: {@code claude-relay-service/1.0.0})
 * @param rateLimitDurationMinutes 60 when missing; an explicit 0 stays 0 (it disables 429 handling)
 * @param dailyQuota               USD, 0 = none
 */
public record ConsoleSettings(
        String apiUrl,
        String apiKey,
        Map<String, String> modelMapping,
        List<String> modelAllowList,
        String userAgent,
        int rateLimitDurationMinutes,
        double dailyQuota) {
}
