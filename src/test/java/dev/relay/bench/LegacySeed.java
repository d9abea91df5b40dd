package dev.relay.bench;

import dev.relay.account.SecretCipher;
import dev.relay.local.LocalTrialBootstrap;
import dev.relay.store.ApiKeyHasher;
import dev.relay.store.LegacyClock;
import dev.relay.testsupport.RelayWorld;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.time.Instant;
import java.util.ArrayList;
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
    static final String OAUTH_KEY_ID = "b0b0b0b0-0000-4000-8000-00000000be02";
    static final String OAUTH_ACCOUNT_ID = "b0b0b0b0-0000-4000-8000-00000000ac02";
    static final String OAUTH_RAW_KEY = "cr_" + "bf".repeat(32);
    static final String OAUTH_ACCESS_TOKEN = "sk-ant-oat01-bench-access-0001";
    static final String EXPIRED_KEY_ID = "b0b0b0b0-0000-4000-8000-00000000be03";
    static final String EXPIRED_ACCOUNT_ID = "b0b0b0b0-0000-4000-8000-00000000ac03";
    static final String EXPIRED_RAW_KEY = "cr_" + "bd".repeat(32);
    /** apikey:{id} is re-set with a 365-day TTL by the legacy (redis-keys.md §2.1). */
    static final long API_KEY_TTL_SECONDS = 365L * 24 * 3600;

    private LegacySeed() {
    }

    /** The fields of a key created with no options (fixture 01 minimal), as the local trial writes them. */
    static Map<String, String> apiKeyFields(String encryptionKey, Instant now) {
        return apiKeyFields(KEY_ID, RAW_KEY, "bench-key", encryptionKey, now);
    }

    static Map<String, String> apiKeyFields(String id, String raw, String name, String encryptionKey, Instant now) {
        Map<String, String> f = new LinkedHashMap<>(LocalTrialBootstrap.firstKey(raw, encryptionKey, now));
        f.put("id", id);
        f.put("name", name);
        f.put("description", "");
        return f;
    }

    static Map<String, String> consoleAccountFields(String apiUrl, Instant now, String tzDate) {
        Map<String, String> f = RelayWorld.consoleAccountFields(ACCOUNT_ID, apiUrl, 10, CONSOLE_API_KEY);
        f.put("name", "bench-console");
        f.put("description", "benchmark console account -> fake upstream");
        f.put("userAgent", "claude-cli/1.0.69 (external, cli)");
        f.put("createdAt", LegacyClock.iso(now));
        f.put("lastResetDate", tzDate);
        return f;
    }

    /** Writes the records; blocks (harness thread, never an event loop). */
    static void write(RedisAPI redis, String encryptionKey, String upstreamUrl, String tzDate) throws Exception {
        Instant now = Instant.now();
        writeKey(redis, apiKeyFields(encryptionKey, now), RAW_KEY, encryptionKey);
        await(redis.hset(args("claude_console_account:" + ACCOUNT_ID, consoleAccountFields(upstreamUrl, now, tzDate))));
        await(redis.sadd(List.of("shared_claude_console_accounts", ACCOUNT_ID)));
        Map<String, String> oauthKey = apiKeyFields(OAUTH_KEY_ID, OAUTH_RAW_KEY, "bench-oauth-key", encryptionKey, now);
        oauthKey.put("claudeAccountId", OAUTH_ACCOUNT_ID);
        writeKey(redis, oauthKey, OAUTH_RAW_KEY, encryptionKey);
        await(redis.hset(args("claude:account:" + OAUTH_ACCOUNT_ID, oauthAccountFields(encryptionKey, now))));
        Map<String, String> expiredKey = apiKeyFields(EXPIRED_KEY_ID, EXPIRED_RAW_KEY, "bench-refresh-key", encryptionKey,
                now);
        expiredKey.put("claudeAccountId", EXPIRED_ACCOUNT_ID);
        writeKey(redis, expiredKey, EXPIRED_RAW_KEY, encryptionKey);
        Map<String, String> expired = oauthAccountFields(encryptionKey, now);
        expired.put("id", EXPIRED_ACCOUNT_ID);
        expired.put("name", "bench-oauth-expired");
        expired.put("expiresAt", String.valueOf(now.toEpochMilli() - 1000));
        await(redis.hset(args("claude:account:" + EXPIRED_ACCOUNT_ID, expired)));
    }

    /**
     * A dedicated Claude OAuth account (fixture 02's fields; priority 90, so the Console key's pool never picks it)
     * whose token stays valid for the whole run; its calls go to {@code CLAUDE_API_URL}.
     */
    static Map<String, String> oauthAccountFields(String encryptionKey, Instant now) {
        SecretCipher cipher = new SecretCipher(SecretCipher.Service.CLAUDE, encryptionKey);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", OAUTH_ACCOUNT_ID);
        f.put("name", "bench-oauth");
        f.put("description", "benchmark OAuth account -> fake upstream");
        f.put("accessToken", cipher.encrypt(OAUTH_ACCESS_TOKEN));
        f.put("refreshToken", cipher.encrypt("sk-ant-ort01-bench-refresh"));
        f.put("expiresAt", String.valueOf(now.toEpochMilli() + 24 * 3600_000L));
        f.put("scopes", "user:inference user:profile");
        f.put("proxy", "");
        f.put("isActive", "true");
        f.put("accountType", "dedicated");
        f.put("platform", "claude");
        f.put("priority", "90");
        f.put("schedulable", "true");
        f.put("status", "active");
        f.put("errorMessage", "");
        f.put("createdAt", LegacyClock.iso(now));
        f.put("lastUsedAt", "");
        f.put("subscriptionInfo", "{\"hasClaudeMax\":true,\"accountType\":\"claude_max\"}");
        f.put("maxConcurrency", "0");
        return f;
    }

    /** {@code apikey:{id}} with the legacy's TTL and its {@code apikey:hash_map} entry; blocks. */
    static void writeKey(RedisAPI redis, Map<String, String> fields, String raw, String encryptionKey)
            throws Exception {
        String id = fields.get("id");
        await(redis.hset(args("apikey:" + id, fields)));
        await(redis.expire(List.of("apikey:" + id, String.valueOf(API_KEY_TTL_SECONDS))));
        await(redis.hset(List.of("apikey:hash_map", ApiKeyHasher.hash(raw, encryptionKey), id)));
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
