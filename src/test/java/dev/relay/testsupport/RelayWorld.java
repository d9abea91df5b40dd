package dev.relay.testsupport;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.account.SecretCipher;
import dev.relay.auth.ApiKeyStore;
import dev.relay.local.LocalTrialBootstrap;
import dev.relay.store.ApiKeyHasher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Seeds Redis with keys and accounts exactly as the legacy admin API writes them (fixtures 01 and 02), for
 * end-to-end relay tests.
 */
public final class RelayWorld {
    private final TestRedis redis;

    public RelayWorld(TestRedis redis) {
        this.redis = redis;
    }

    public record SeededKey(String id, String raw) {
    }

    /** A key with the legacy's defaults, changed by {@code overrides} (field → stored string). */
    public SeededKey key(Map<String, String> overrides) {
        String raw = "cr_" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> fields = new LinkedHashMap<>(
                LocalTrialBootstrap.firstKey(raw, TestServices.FIXTURE_ENCRYPTION_KEY, Instant.now()));
        fields.putAll(overrides);
        fields.put("apiKey", ApiKeyHasher.hash(raw, TestServices.FIXTURE_ENCRYPTION_KEY));
        TestRedis.await(new ApiKeyStore(redis.store).create(fields));
        return new SeededKey(fields.get("id"), raw);
    }

    /** A shared Claude Console account as in fixture 02, pointing at {@code apiUrl}. */
    public String consoleAccount(String apiUrl, int priority, Map<String, String> overrides) {
        String id = UUID.randomUUID().toString();
        Map<String, String> f = consoleAccountFields(id, apiUrl, priority,
                new SecretCipher(SecretCipher.Service.CLAUDE_CONSOLE, TestServices.FIXTURE_ENCRYPTION_KEY)
                        .encrypt("sk-ant-api03-test-" + id.substring(0, 8)));
        f.putAll(overrides);
        String key = AccountStore.key(Platform.CLAUDE_CONSOLE, id);
        String[] args = new String[2 + f.size() * 2];
        args[0] = "HSET";
        args[1] = key;
        int i = 2;
        for (var e : f.entrySet()) {
            args[i++] = e.getKey();
            args[i++] = e.getValue();
        }
        redis.call(args);
        redis.call("SADD", AccountStore.sharedSet(Platform.CLAUDE_CONSOLE).orElseThrow(), id);
        return id;
    }

    /** A shared CCR account as in fixture 02, pointing at {@code apiUrl}; its key is {@link #upstreamKeyOf}. */
    public String ccrAccount(String apiUrl, int priority, Map<String, String> overrides) {
        String id = UUID.randomUUID().toString();
        Map<String, String> f = consoleAccountFields(id, apiUrl, priority,
                new SecretCipher(SecretCipher.Service.CCR, TestServices.FIXTURE_ENCRYPTION_KEY)
                        .encrypt("sk-ant-api03-test-" + id.substring(0, 8)));
        f.put("platform", "ccr");
        f.put("name", "test-ccr-" + priority);
        f.remove("maxConcurrentTasks");
        f.remove("disableAutoProtection");
        f.remove("interceptWarmup");
        f.putAll(overrides);
        String key = AccountStore.key(Platform.CCR, id);
        String[] args = new String[2 + f.size() * 2];
        args[0] = "HSET";
        args[1] = key;
        int i = 2;
        for (var e : f.entrySet()) {
            args[i++] = e.getKey();
            args[i++] = e.getValue();
        }
        redis.call(args);
        redis.call("SADD", AccountStore.sharedSet(Platform.CCR).orElseThrow(), id);
        return id;
    }

    /** The fields the legacy admin route writes for a shared Console account (fixture 02). */
    public static Map<String, String> consoleAccountFields(String id, String apiUrl, int priority, String storedApiKey) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("platform", "claude-console");
        f.put("name", "test-console-" + priority);
        f.put("description", "");
        f.put("apiUrl", apiUrl);
        f.put("apiKey", storedApiKey);
        f.put("priority", String.valueOf(priority));
        f.put("supportedModels", "{}");
        f.put("userAgent", "");
        f.put("rateLimitDuration", "60");
        f.put("proxy", "");
        f.put("isActive", "true");
        f.put("accountType", "shared");
        f.put("createdAt", "2026-11-23T07:21:41.482Z");
        f.put("lastUsedAt", "");
        f.put("status", "active");
        f.put("errorMessage", "");
        f.put("subscriptionExpiresAt", "");
        f.put("rateLimitedAt", "");
        f.put("rateLimitStatus", "");
        f.put("schedulable", "true");
        f.put("dailyQuota", "0");
        f.put("dailyUsage", "0");
        f.put("lastResetDate", "");
        f.put("quotaResetTime", "00:00");
        f.put("quotaStoppedAt", "");
        f.put("maxConcurrentTasks", "0");
        f.put("disableAutoProtection", "false");
        f.put("interceptWarmup", "false");
        return f;
    }

    /**
     * A shared Claude OAuth account as the legacy admin route writes it (fixture 02), with the given id, access and
     * refresh tokens (encrypted as the legacy does) and token expiry; {@code overrides} are stored as given.
     */
    public String oauthAccount(String id, int priority, String accessToken, String refreshToken, long expiresAtMs,
            Map<String, String> overrides) {
        SecretCipher cipher = new SecretCipher(SecretCipher.Service.CLAUDE, TestServices.FIXTURE_ENCRYPTION_KEY);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", id);
        f.put("name", "test-oauth-" + priority);
        f.put("description", "");
        f.put("email", cipher.encrypt("fixture-oauth@example.com"));
        f.put("password", "");
        f.put("claudeAiOauth", cipher.encrypt("{\"accessToken\":\"" + accessToken + "\",\"refreshToken\":\""
                + refreshToken + "\",\"expiresAt\":" + expiresAtMs + ",\"scopes\":[\"user:inference\",\"user:profile\"]}"));
        f.put("accessToken", cipher.encrypt(accessToken));
        f.put("refreshToken", cipher.encrypt(refreshToken));
        f.put("expiresAt", String.valueOf(expiresAtMs));
        f.put("scopes", "user:inference user:profile");
        f.put("proxy", "");
        f.put("isActive", "true");
        f.put("accountType", "shared");
        f.put("platform", "claude");
        f.put("priority", String.valueOf(priority));
        f.put("schedulable", "true");
        f.put("createdAt", "2026-11-23T07:21:40.806Z");
        f.put("lastUsedAt", "");
        f.put("lastRefreshAt", "");
        f.put("status", "active");
        f.put("errorMessage", "");
        f.put("subscriptionExpiresAt", "");
        f.put("subscriptionInfo", "{\"hasClaudeMax\":true,\"hasClaudePro\":false,\"accountType\":\"claude_max\"}");
        f.put("extInfo", "");
        f.put("maxConcurrency", "0");
        f.put("autoStopOnWarning", "false");
        f.put("useUnifiedUserAgent", "false");
        f.put("useUnifiedClientId", "false");
        f.put("unifiedClientId", "");
        f.put("interceptWarmup", "false");
        f.putAll(overrides);
        String key = AccountStore.key(Platform.CLAUDE_OAUTH, id);
        String[] args = new String[2 + f.size() * 2];
        args[0] = "HSET";
        args[1] = key;
        int i = 2;
        for (var e : f.entrySet()) {
            args[i++] = e.getKey();
            args[i++] = e.getValue();
        }
        redis.call(args);
        return id;
    }

    /** The decrypted key the upstream sees for an account seeded here. */
    public static String upstreamKeyOf(String accountId) {
        return "sk-ant-api03-test-" + accountId.substring(0, 8);
    }

}
