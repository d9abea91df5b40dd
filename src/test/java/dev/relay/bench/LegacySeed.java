package dev.relay.bench;

import dev.relay.store.LegacyClock;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes the benchmark's API key and shared Claude Console account the way the legacy admin API does (fixture
 * 01 {@code redis-create-minimal.json}, fixture 02 {@code redis-claude-console.json}; redis-keys.md §1.5, §2.1, §2.4).
 *
 * <p>The console {@code apiKey} is written in plaintext: the legacy Console service returns text it cannot decrypt
 * unchanged (redis-keys.md §3), so a compatible reader uses it as the key. This keeps the harness independent of
 * our encryption code.
 */
final class LegacySeed {
    static final String KEY_ID = "b0b0b0b0-0000-4000-8000-00000000be01";
    static final String ACCOUNT_ID = "b0b0b0b0-0000-4000-8000-00000000ac01";
    static final String RAW_KEY = "cr_" + "be".repeat(32);
    static final String CONSOLE_API_KEY = "sk-ant-api03-bench-console-0001";
    /** apikey:{id} is re-set with a 365-day TTL by the legacy (redis-keys.md §2.1). */
    static final long API_KEY_TTL_SECONDS = 365L * 24 * 3600;

    private LegacySeed() {
    }

    /** Legacy {@code _hashApiKey}: lowercase hex SHA-256 of {@code rawKey + ENCRYPTION_KEY}. */
    static String hashApiKey(String rawKey, String encryptionKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((rawKey + encryptionKey).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> apiKeyFields(String hash, Instant now) {
        String iso = LegacyClock.iso(now);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", KEY_ID);
        f.put("name", "bench-key");
        f.put("description", "");
        f.put("apiKey", hash);
        f.put("tokenLimit", "0");
        f.put("concurrencyLimit", "0");
        f.put("rateLimitWindow", "0");
        f.put("rateLimitRequests", "0");
        f.put("rateLimitCost", "0");
        f.put("isActive", "true");
        f.put("claudeAccountId", "");
        f.put("claudeConsoleAccountId", "");
        f.put("geminiAccountId", "");
        f.put("openaiAccountId", "");
        f.put("azureOpenaiAccountId", "");
        f.put("bedrockAccountId", "");
        f.put("droidAccountId", "");
        f.put("permissions", "all");
        f.put("enableModelRestriction", "false");
        f.put("restrictedModels", "[]");
        f.put("enableClientRestriction", "false");
        f.put("allowedClients", "[]");
        f.put("enableModelPassthrough", "false");
        f.put("dailyCostLimit", "0");
        f.put("totalCostLimit", "0");
        f.put("weeklyOpusCostLimit", "0");
        f.put("tags", "[]");
        f.put("activationDays", "0");
        f.put("activationUnit", "days");
        f.put("expirationMode", "fixed");
        f.put("isActivated", "true");
        f.put("activatedAt", iso);
        f.put("createdAt", iso);
        f.put("lastUsedAt", "");
        f.put("expiresAt", "");
        f.put("createdBy", "admin");
        f.put("userId", "");
        f.put("userUsername", "");
        f.put("icon", "");
        return f;
    }

    static Map<String, String> consoleAccountFields(String apiUrl, Instant now, String tzDate) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", ACCOUNT_ID);
        f.put("platform", "claude-console");
        f.put("name", "bench-console");
        f.put("description", "benchmark console account -> fake upstream");
        f.put("apiUrl", apiUrl);
        f.put("apiKey", CONSOLE_API_KEY);
        f.put("priority", "10");
        f.put("supportedModels", "{}");
        f.put("userAgent", "claude-cli/1.0.69 (external, cli)");
        f.put("rateLimitDuration", "60");
        f.put("proxy", "");
        f.put("isActive", "true");
        f.put("accountType", "shared");
        f.put("createdAt", LegacyClock.iso(now));
        f.put("lastUsedAt", "");
        f.put("status", "active");
        f.put("errorMessage", "");
        f.put("subscriptionExpiresAt", "");
        f.put("rateLimitedAt", "");
        f.put("rateLimitStatus", "");
        f.put("schedulable", "true");
        f.put("dailyQuota", "0");
        f.put("dailyUsage", "0");
        f.put("lastResetDate", tzDate);
        f.put("quotaResetTime", "00:00");
        f.put("quotaStoppedAt", "");
        f.put("maxConcurrentTasks", "0");
        f.put("disableAutoProtection", "false");
        f.put("interceptWarmup", "false");
        return f;
    }

    /** Writes both records; blocks (harness thread, never an event loop). */
    static void write(RedisAPI redis, String encryptionKey, String upstreamUrl, String tzDate) throws Exception {
        Instant now = Instant.now();
        String hash = hashApiKey(RAW_KEY, encryptionKey);
        await(redis.hset(args("apikey:" + KEY_ID, apiKeyFields(hash, now))));
        await(redis.expire(List.of("apikey:" + KEY_ID, String.valueOf(API_KEY_TTL_SECONDS))));
        await(redis.hset(List.of("apikey:hash_map", hash, KEY_ID)));
        await(redis.hset(args("claude_console_account:" + ACCOUNT_ID, consoleAccountFields(upstreamUrl, now, tzDate))));
        await(redis.sadd(List.of("shared_claude_console_accounts", ACCOUNT_ID)));
    }

    private static List<String> args(String key, Map<String, String> fields) {
        List<String> a = new ArrayList<>(1 + fields.size() * 2);
        a.add(key);
        fields.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        return a;
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
