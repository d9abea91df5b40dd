package dev.relay.account;

import static dev.relay.testsupport.FixtureRedis.fixture;
import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.store.Replies;
import dev.relay.testsupport.FixtureRedis;
import dev.relay.testsupport.TestRedis;
import dev.relay.testsupport.TestServices;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountStoreTest {
    static final String CLAUDE_ID = "29ed57d9-d16a-400d-965c-9840cac8d5e4";
    static final String CONSOLE_ID = "d09be248-12ea-4668-bc07-7acdf40463d6";
    static final String CCR_ID = "4f9adec8-3a4a-428f-a8ba-9113041512f5";
    static final String BEDROCK_ID = "ae603b6c-f2f5-4aeb-b70e-afe2a71eba06";
    static final String GEMINI_ID = "7612b1b6-5b4b-4e16-8869-55e9ec058268";
    static final String GEMINI_API_ID = "63ef7259-3910-412f-8879-909f10363459";
    static final String OPENAI_ID = "6de956bc-5d68-4efa-968f-58e4b54f47b4";
    static final String RESPONSES_ID = "3a24f6c7-81f3-48f6-9324-733abff4d87a";
    static final String AZURE_ID = "543877e9-a557-44ec-a081-5254d502c5e2";
    static final String DROID_ID = "87fbc785-bc22-4e52-9c2b-19a30365c7e1";

    static final JsonNode SECRETS = FixtureRedis.read(fixture("02-accounts", "secrets.json"));

    TestRedis redis;
    AccountStore store;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        store = new AccountStore(redis.store, TestServices.FIXTURE_ENCRYPTION_KEY);
        for (String file : List.of("claude-oauth", "claude-console", "bedrock", "gemini-oauth", "gemini-api",
                "openai-oauth", "openai-responses", "azure-openai", "ccr", "droid")) {
            FixtureRedis.load(redis, fixture("02-accounts", "redis-" + file + ".json"));
        }
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void claudeOAuthAccount() {
        ClaudeOAuthAccount a = await(store.claudeOAuth(CLAUDE_ID)).orElseThrow();
        String key = "claude:account:" + CLAUDE_ID;
        assertEquals(CLAUDE_ID, a.id());
        assertEquals("fx-claude-oauth", a.name());
        assertEquals("fixture Claude OAuth account (proxy -> mock)", a.description());
        assertEquals(secret(key, "email"), a.email());
        assertEquals("fixture-oauth@example.com", a.email());
        assertEquals(secret(key, "password"), a.password());
        assertEquals(secret(key, "claudeAiOauth"), a.claudeAiOauth());
        assertEquals("sk-ant-oat01-fixture-access-0001", a.accessToken());
        assertEquals(secret(key, "accessToken"), a.accessToken());
        assertEquals(secret(key, "refreshToken"), a.refreshToken());
        assertEquals(1795447300743L, a.expiresAtMs());
        assertEquals("user:inference user:profile", a.scopes());
        assertEquals("{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":18443}", a.proxy());
        assertTrue(a.active());
        assertEquals("shared", a.accountType());
        assertEquals("claude", a.platform());
        assertEquals(90, a.priority());
        assertEquals("active", a.status());
        assertEquals("", a.errorMessage());
        assertTrue(a.schedulable());
        assertTrue(a.subscriptionInfo().contains("\"accountType\":\"claude_max\""));
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals("", a.extInfo());
        assertEquals(0, a.maxConcurrency());
        assertFalse(a.autoStopOnWarning());
        assertFalse(a.useUnifiedUserAgent());
        assertFalse(a.useUnifiedClientId());
        assertEquals("", a.unifiedClientId());
        assertFalse(a.interceptWarmup());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals("", a.rateLimitEndAt());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("claude-oauth", key), a.raw());
    }

    @Test
    void claudeConsoleAccount() {
        ClaudeConsoleAccount a = await(store.claudeConsole(CONSOLE_ID)).orElseThrow();
        String key = "claude_console_account:" + CONSOLE_ID;
        assertEquals(CONSOLE_ID, a.id());
        assertEquals("fx-console", a.name());
        assertEquals("http://127.0.0.1:18081", a.apiUrl());
        assertEquals("sk-ant-api03-fixture-console-0001", a.apiKey());
        assertEquals(secret(key, "apiKey"), a.apiKey());
        assertEquals(10, a.priority());
        assertEquals(Map.of(), a.modelMapping());
        assertEquals(List.of(), a.modelAllowList());
        assertEquals("claude-cli/1.0.69 (external, cli)", a.userAgent());
        assertEquals(60, a.rateLimitDurationMinutes());
        assertEquals("", a.proxy());
        assertTrue(a.active());
        assertEquals("shared", a.accountType());
        assertEquals("active", a.status());
        assertTrue(a.schedulable());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals("", a.overloadStatus());
        assertEquals("", a.overloadedAt());
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals(0.0, a.dailyQuota());
        assertEquals(0, a.maxConcurrentTasks());
        assertFalse(a.disableAutoProtection());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("claude-console", key), a.raw());
    }

    @Test
    void ccrAccount() {
        CcrAccount a = await(store.ccr(CCR_ID)).orElseThrow();
        String key = "ccr_account:" + CCR_ID;
        assertEquals(CCR_ID, a.id());
        assertEquals("fx-ccr", a.name());
        assertEquals("fixture ccr", a.description());
        assertEquals("http://127.0.0.1:18081", a.apiUrl());
        assertEquals(secret(key, "apiKey"), a.apiKey());
        assertEquals("sk-fixture-ccr-0001", a.apiKey());
        assertEquals(50, a.priority());
        assertEquals(Map.of(), a.modelMapping());
        assertEquals(List.of(), a.modelAllowList());
        assertEquals("claude-relay-service/1.0.0", a.userAgent());
        assertEquals(60, a.rateLimitDurationMinutes());
        assertEquals("", a.proxy());
        assertTrue(a.active());
        assertEquals("shared", a.accountType());
        assertEquals("active", a.status());
        assertTrue(a.schedulable());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals("", a.overloadedAt());
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals(0.0, a.dailyQuota());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("ccr", key), a.raw());
    }

    @Test
    void bedrockAccount() throws Exception {
        BedrockAccount a = await(store.bedrock(BEDROCK_ID)).orElseThrow();
        assertEquals(BEDROCK_ID, a.id());
        assertEquals("fx-bedrock", a.name());
        assertEquals("fixture bedrock (dedicated, never called)", a.description());
        assertEquals("us-east-1", a.region());
        assertEquals("us.anthropic.claude-sonnet-4-20250514-v1:0", a.defaultModel());
        assertTrue(a.active());
        assertEquals("dedicated", a.accountType());
        assertEquals(50, a.priority());
        assertTrue(a.schedulable());
        assertEquals("access_key", a.credentialType());
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals("2026-11-23T07:21:42.065Z", a.createdAt());
        assertEquals("2026-11-23T07:21:42.065Z", a.updatedAt());
        String plaintext = SECRETS.path("bedrock_account:" + BEDROCK_ID)
                .path("awsCredentials (JSON property of the STRING value)").path("plaintext").asText();
        assertEquals(StoredHash.JSON.readTree(plaintext), a.credentials());
        assertEquals("AKIAFIXTURE000000001", a.accessKeyId());
        assertEquals("fixture-aws-secret-0001", a.secretAccessKey());
        assertEquals("", a.sessionToken());
        assertEquals(StoredHash.JSON.readTree(redis.call("GET", "bedrock_account:" + BEDROCK_ID).toString()), a.raw());
    }

    @Test
    void geminiOAuthAccount() {
        GeminiOAuthAccount a = await(store.geminiOAuth(GEMINI_ID)).orElseThrow();
        String key = "gemini_account:" + GEMINI_ID;
        assertEquals(GEMINI_ID, a.id());
        assertEquals("fx-gemini-oauth", a.name());
        assertEquals("fixture gemini oauth", a.description());
        assertEquals("shared", a.accountType());
        assertTrue(a.active());
        assertEquals("active", a.status());
        assertTrue(a.schedulable());
        assertEquals(50, a.priority());
        assertEquals(secret(key, "geminiOauth"), a.geminiOauth());
        assertEquals(secret(key, "accessToken"), a.accessToken());
        assertEquals("ya29.fixture-gemini-access-0001", a.accessToken());
        assertEquals(secret(key, "refreshToken"), a.refreshToken());
        assertEquals("2026-11-23T15:21:40.743Z", a.expiresAt());
        assertEquals("https://www.googleapis.com/auth/cloud-platform", a.scopes());
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals("{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":18443}", a.proxy());
        assertEquals("fixture-gcp-project", a.projectId());
        assertEquals("", a.tempProjectId());
        assertEquals(List.of(), a.supportedModels());
        assertEquals("", a.errorMessage());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("gemini-oauth", key), a.raw());
    }

    @Test
    void geminiApiAccount() {
        GeminiApiAccount a = await(store.geminiApi(GEMINI_API_ID)).orElseThrow();
        String key = "gemini_api_account:" + GEMINI_API_ID;
        assertEquals(GEMINI_API_ID, a.id());
        assertEquals("fx-gemini-api", a.name());
        assertEquals("fixture gemini api key", a.description());
        assertEquals("http://127.0.0.1:18081", a.baseUrl());
        assertEquals(secret(key, "apiKey"), a.apiKey());
        assertEquals("AIzaFixtureGeminiApiKey0001", a.apiKey());
        assertEquals(50, a.priority());
        assertEquals("", a.proxy());
        assertTrue(a.active());
        assertEquals("shared", a.accountType());
        assertTrue(a.schedulable());
        assertEquals(List.of(), a.supportedModels());
        assertEquals("active", a.status());
        assertEquals("", a.errorMessage());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals(60, a.rateLimitDurationMinutes());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("gemini-api", key), a.raw());
    }

    @Test
    void openaiOAuthAccount() {
        OpenAIOAuthAccount a = await(store.openaiOAuth(OPENAI_ID)).orElseThrow();
        String key = "openai:account:" + OPENAI_ID;
        assertEquals(OPENAI_ID, a.id());
        assertEquals("fx-openai-oauth", a.name());
        assertEquals("fixture openai oauth", a.description());
        assertEquals("shared", a.accountType());
        assertEquals("", a.groupId());
        assertEquals(50, a.priority());
        assertEquals(60, a.rateLimitDurationMinutes());
        assertEquals(secret(key, "idToken"), a.idToken());
        assertEquals(secret(key, "accessToken"), a.accessToken());
        assertEquals(secret(key, "refreshToken"), a.refreshToken());
        assertEquals("rt_fixture_openai_refresh_0001", a.refreshToken());
        assertEquals(secret(key, "openaiOauth"), a.openaiOauth());
        assertEquals(secret(key, "email"), a.email());
        assertEquals("fixture-openai@example.com", a.email());
        assertEquals("fixture-chatgpt-account-0001", a.chatgptAccountId());
        assertEquals("user-fixture0001", a.chatgptUserId());
        assertEquals("org-fixture0001", a.organizationId());
        assertEquals("plus", a.planType());
        assertEquals("2026-12-03T07:21:43.906Z", a.expiresAt());
        assertEquals("", a.subscriptionExpiresAt());
        assertTrue(a.active());
        assertEquals("active", a.status());
        assertTrue(a.schedulable());
        assertEquals("{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":18443}", a.proxy());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals("", a.rateLimitResetAt());
        assertEquals("", a.errorMessage());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("openai-oauth", key), a.raw());
    }

    @Test
    void openaiResponsesAccount() {
        OpenAIResponsesAccount a = await(store.openaiResponses(RESPONSES_ID)).orElseThrow();
        String key = "openai_responses_account:" + RESPONSES_ID;
        assertEquals(RESPONSES_ID, a.id());
        assertEquals("fx-openai-responses", a.name());
        assertEquals("fixture responses api key", a.description());
        assertEquals("http://127.0.0.1:18081", a.baseApi());
        assertEquals(secret(key, "apiKey"), a.apiKey());
        assertEquals("sk-fixture-openai-responses-0001", a.apiKey());
        assertEquals("", a.userAgent());
        assertEquals(50, a.priority());
        assertEquals("", a.proxy());
        assertTrue(a.active());
        assertEquals("shared", a.accountType());
        assertTrue(a.schedulable());
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals("active", a.status());
        assertEquals("", a.errorMessage());
        assertEquals("", a.rateLimitStatus());
        assertEquals("", a.rateLimitedAt());
        assertEquals("", a.rateLimitResetAt());
        assertEquals(60, a.rateLimitDurationMinutes());
        assertEquals(0.0, a.dailyQuota());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("openai-responses", key), a.raw());
    }

    @Test
    void azureOpenAIAccount() {
        AzureOpenAIAccount a = await(store.azureOpenai(AZURE_ID)).orElseThrow();
        String key = "azure_openai:account:" + AZURE_ID;
        assertEquals(AZURE_ID, a.id());
        assertEquals("fx-azure-openai", a.name());
        assertEquals("fixture azure", a.description());
        assertEquals("shared", a.accountType());
        assertEquals("", a.groupId());
        assertEquals(50, a.priority());
        assertEquals("https://fixture-resource.openai.azure.com", a.azureEndpoint());
        assertEquals("2024-02-01", a.apiVersion());
        assertEquals("gpt-4o-fixture", a.deploymentName());
        assertEquals(secret(key, "apiKey"), a.apiKey());
        assertEquals("fixture-azure-api-key-0001", a.apiKey());
        assertEquals(List.of("gpt-4o"), a.supportedModels());
        assertEquals("", a.subscriptionExpiresAt());
        assertTrue(a.active());
        assertEquals("active", a.status());
        assertTrue(a.schedulable());
        assertEquals("", a.proxy());
        assertEquals("", a.lastUsedAt());
        assertEquals(stored("azure-openai", key), a.raw());
    }

    @Test
    void droidAccount() throws Exception {
        DroidAccount a = await(store.droid(DROID_ID)).orElseThrow();
        String key = "droid:account:" + DROID_ID;
        assertEquals(DROID_ID, a.id());
        assertEquals("fx-droid", a.name());
        assertEquals("fixture droid (api_key provisioning)", a.description());
        assertEquals("shared", a.accountType());
        assertEquals("droid", a.platform());
        assertEquals(50, a.priority());
        assertTrue(a.active());
        assertEquals("active", a.status());
        assertTrue(a.schedulable());
        assertEquals("", a.errorMessage());
        assertEquals("", a.proxy());
        assertEquals("", a.subscriptionExpiresAt());
        assertEquals("anthropic", a.endpointType());
        assertEquals("api_key", a.authenticationMethod());
        assertEquals("", a.accessToken());
        assertEquals("", a.refreshToken());
        assertEquals("", a.expiresAt());
        assertEquals("random_sticky", a.apiKeyStrategy());
        assertEquals("", a.userAgent());
        assertEquals("", a.lastUsedAt());
        assertEquals(2, a.apiKeys().size());
        var sha256 = java.security.MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 2; i++) {
            DroidAccount.DroidApiKey k = a.apiKeys().get(i);
            String plaintext = SECRETS.path(key).path("apiKeys[" + i
                    + "].encryptedKey (JSON inside the field; .hash = sha256(plaintext))").path("plaintext").asText();
            assertEquals("fk-fixture-droid-apikey-000" + (i + 1), plaintext);
            assertEquals(plaintext, k.key());
            assertEquals(HexFormat.of().formatHex(sha256.digest(plaintext.getBytes())), k.hash());
            assertEquals("2026-11-23T07:21:46.415Z", k.createdAt());
            assertEquals("", k.lastUsedAt());
            assertEquals(0L, k.usageCount());
            assertEquals("active", k.status());
            assertEquals("", k.errorMessage());
        }
        assertEquals("7fd0c495-aeab-40ab-abfb-299db10782b3", a.apiKeys().get(0).id());
        assertEquals("41fe195c-1152-49cf-af87-106d1594340e", a.apiKeys().get(1).id());
        assertEquals(stored("droid", key), a.raw());
    }

    @Test
    void missingAccountsAreEmpty() {
        assertEquals(Optional.empty(), await(store.claudeConsole("nope")));
        assertEquals(Optional.empty(), await(store.claudeOAuth("nope")));
        assertEquals(Optional.empty(), await(store.bedrock("nope")));
        assertEquals(Optional.empty(), await(store.droid(CONSOLE_ID)));
    }

    @Test
    void consoleHashWithoutIdIsMissing() {
        // e.g. a late partial HSET after the account was deleted
        redis.call("HSET", "claude_console_account:ghost", "lastUsedAt", "2026-11-23T07:21:41.482Z");
        assertEquals(Optional.empty(), await(store.claudeConsole("ghost")));
        assertEquals(Set.of(CONSOLE_ID), await(store.allClaudeConsole()).stream()
                .map(ClaudeConsoleAccount::id).collect(Collectors.toSet()));
    }

    @Test
    void listsEveryConsoleAndOAuthAccountAcrossScanPages() {
        FixtureRedis.load(redis, fixture("03-groups", "redis.json"));
        for (int i = 0; i < 1200; i++) {
            redis.call("SET", "filler:" + i, "x");
        }
        // another key family sharing the prefix must not be read as an account
        redis.call("SET", "claude:account:" + CLAUDE_ID + ":extra", "x");
        assertEquals(Set.of(CONSOLE_ID, "db73f4b9-4628-4f93-8451-a5e2e06b5618",
                "022165d6-e72e-428f-8e7b-e86b58f0d824"), await(store.allClaudeConsole()).stream()
                .map(ClaudeConsoleAccount::id).collect(Collectors.toSet()));
        List<ClaudeConsoleAccount> consoles = await(store.allClaudeConsole());
        Map<String, String> keys = consoles.stream()
                .collect(Collectors.toMap(ClaudeConsoleAccount::id, ClaudeConsoleAccount::apiKey));
        assertEquals("sk-ant-api03-fixture-group-a", keys.get("db73f4b9-4628-4f93-8451-a5e2e06b5618"));
        assertEquals("sk-ant-api03-fixture-group-b", keys.get("022165d6-e72e-428f-8e7b-e86b58f0d824"));
        assertEquals(List.of(CLAUDE_ID), await(store.allClaudeOAuth()).stream().map(ClaudeOAuthAccount::id).toList());
    }

    @Test
    void consoleSupportedModelsObjectIsAMappingAndLegacyArrayAnAllowList() {
        redis.call("HSET", "claude_console_account:" + CONSOLE_ID, "supportedModels",
                "{\"claude-3-5-sonnet\":\"claude-sonnet-4-20250514\"}");
        ClaudeConsoleAccount mapped = await(store.claudeConsole(CONSOLE_ID)).orElseThrow();
        assertEquals(Map.of("claude-3-5-sonnet", "claude-sonnet-4-20250514"), mapped.modelMapping());
        assertEquals(List.of(), mapped.modelAllowList());

        redis.call("HSET", "claude_console_account:" + CONSOLE_ID, "supportedModels",
                "[\"claude-sonnet-4-20250514\",\"claude-3-haiku\"]");
        ClaudeConsoleAccount listed = await(store.claudeConsole(CONSOLE_ID)).orElseThrow();
        assertEquals(Map.of(), listed.modelMapping());
        assertEquals(List.of("claude-sonnet-4-20250514", "claude-3-haiku"), listed.modelAllowList());

        redis.call("HSET", "claude_console_account:" + CONSOLE_ID, "supportedModels", "not json");
        ClaudeConsoleAccount garbage = await(store.claudeConsole(CONSOLE_ID)).orElseThrow();
        assertEquals(Map.of(), garbage.modelMapping());
        assertEquals(List.of(), garbage.modelAllowList());
    }

    @Test
    void oddConsoleValuesReadLeniently() {
        String key = "claude_console_account:odd";
        redis.call("HSET", key, "id", "odd", "priority", "", "rateLimitDuration", "0", "dailyQuota", "1e-7",
                "maxConcurrentTasks", "3abc", "isActive", "", "schedulable", "", "apiKey", "plain-text-key");
        ClaudeConsoleAccount a = await(store.claudeConsole("odd")).orElseThrow();
        assertEquals(50, a.priority());
        assertEquals(0, a.rateLimitDurationMinutes(), "0 disables 429 handling and must stay 0");
        assertEquals(1e-7, a.dailyQuota());
        assertEquals(3, a.maxConcurrentTasks());
        assertFalse(a.active());
        assertTrue(a.schedulable(), "only an explicit false is unschedulable");
        assertEquals("plain-text-key", a.apiKey(), "Console returns undecryptable text as stored (P18)");
        assertEquals("", a.name());

        redis.call("HSET", key, "schedulable", "false", "rateLimitDuration", "", "priority", "x");
        ClaudeConsoleAccount b = await(store.claudeConsole("odd")).orElseThrow();
        assertFalse(b.schedulable());
        assertEquals(60, b.rateLimitDurationMinutes());
        assertEquals(50, b.priority());
    }

    @Test
    void oddValuesOfOtherTypesDoNotThrow() {
        redis.call("HSET", "gemini_account:g", "id", "g", "supportedModels", "gemini-2.5-pro,gemini-2.5-flash",
                "accessToken", "garbage", "priority", "7");
        GeminiOAuthAccount g = await(store.geminiOAuth("g")).orElseThrow();
        assertEquals(List.of("gemini-2.5-pro", "gemini-2.5-flash"), g.supportedModels());
        assertEquals("", g.accessToken(), "Gemini returns \"\" for undecryptable text");
        assertEquals(7, g.priority());

        redis.call("HSET", "droid:account:d", "id", "d", "apiKeys", "[broken", "endpointType", "");
        DroidAccount d = await(store.droid("d")).orElseThrow();
        assertEquals(List.of(), d.apiKeys());
        assertEquals("anthropic", d.endpointType());

        redis.call("HSET", "azure_openai:account:z", "id", "z", "supportedModels", "{}", "apiKey", "a:b");
        AzureOpenAIAccount z = await(store.azureOpenai("z")).orElseThrow();
        assertEquals(List.of(), z.supportedModels());
        assertEquals("gpt-4", z.deploymentName());
        assertEquals("", z.apiKey());

        redis.call("SET", "bedrock_account:b", "{\"id\":\"b\",\"awsCredentials\":\"nope\",\"priority\":\"20\"}");
        BedrockAccount b = await(store.bedrock("b")).orElseThrow();
        assertEquals(20, b.priority());
        assertTrue(b.schedulable());
        assertEquals("", b.accessKeyId());
        redis.call("SET", "bedrock_account:plain", "{\"id\":\"plain\",\"isActive\":true,"
                + "\"awsCredentials\":{\"accessKeyId\":\"AKIA\",\"secretAccessKey\":\"s\"}}");
        assertEquals("AKIA", await(store.bedrock("plain")).orElseThrow().accessKeyId());
        redis.call("SET", "bedrock_account:junk", "not json");
        assertEquals(Optional.empty(), await(store.bedrock("junk")));
    }

    @Test
    void updateConsoleFieldsSetsAndDeletesOnlyTheGivenFields() {
        String key = "claude_console_account:" + CONSOLE_ID;
        redis.call("HSET", key, "rateLimitAutoStopped", "true");
        Map<String, String> before = Replies.hash(redis.call("HGETALL", key));
        Map<String, String> set = new LinkedHashMap<>();
        set.put("status", "rate_limited");
        set.put("rateLimitedAt", "2026-11-23T08:00:00.000Z");
        await(store.updateConsoleFields(CONSOLE_ID, set, List.of("rateLimitAutoStopped", "notThere")));
        Map<String, String> expected = new LinkedHashMap<>(before);
        expected.putAll(set);
        expected.remove("rateLimitAutoStopped");
        assertEquals(expected, Replies.hash(redis.call("HGETALL", key)));
        await(store.updateConsoleFields(CONSOLE_ID, Map.of(), List.of()));
        assertEquals(expected, Replies.hash(redis.call("HGETALL", key)));
    }

    @Test
    void keyNamesAndSharedSets() {
        assertEquals("claude:account:x", AccountStore.Kind.CLAUDE_OAUTH.key("x"));
        assertEquals("azure_openai:account:x", AccountStore.Kind.AZURE_OPENAI.key("x"));
        for (AccountStore.Kind kind : AccountStore.Kind.values()) {
            if (kind.sharedSet() != null) {
                assertTrue(redis.call("SMEMBERS", kind.sharedSet()).size() == 1, kind.name());
            }
        }
        assertEquals(Set.of(CONSOLE_ID), Replies.set(redis.call("SMEMBERS",
                AccountStore.Kind.CLAUDE_CONSOLE.sharedSet())));
    }

    private static String secret(String key, String field) {
        JsonNode node = SECRETS.path(key).path(field);
        assertTrue(node.path("verifiedAgainstRedis").asBoolean(), key + "." + field);
        return node.path("plaintext").asText();
    }

    private static Map<String, String> stored(String file, String key) {
        Map<String, String> map = new LinkedHashMap<>();
        FixtureRedis.read(fixture("02-accounts", "redis-" + file + ".json")).path("added").path(key).path("value")
                .fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
        assertFalse(map.isEmpty(), key);
        return map;
    }
}
