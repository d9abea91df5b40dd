package dev.relay.account;

import java.util.List;
import java.util.Map;

/**
 * A Claude Console (Anthropic-compatible API key) account, {@code claude_console_account:{id}}
 * (redis-keys.md §2.4), with its API key already decrypted.
 *
 * @param modelMapping requested model → upstream model, from an object-form {@code supportedModels}
 * @param modelAllowList from the legacy array form of {@code supportedModels}; empty with an empty mapping = all
 */
public record ClaudeConsoleAccount(
        String id,
        String name,
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
        String overloadStatus,
        String overloadedAt,
        String subscriptionExpiresAt,
        double dailyQuota,
        int maxConcurrentTasks,
        boolean disableAutoProtection,
        String lastUsedAt,
        Map<String, String> raw) {
}
