package dev.relay.account;

import static dev.relay.account.GoldenAccounts.AZURE_ID;
import static dev.relay.account.GoldenAccounts.BEDROCK_ID;
import static dev.relay.account.GoldenAccounts.CCR_ID;
import static dev.relay.account.GoldenAccounts.CLAUDE_ID;
import static dev.relay.account.GoldenAccounts.CONSOLE_ID;
import static dev.relay.account.GoldenAccounts.DROID_ID;
import static dev.relay.account.GoldenAccounts.GEMINI_API_ID;
import static dev.relay.account.GoldenAccounts.GEMINI_ID;
import static dev.relay.account.GoldenAccounts.OPENAI_ID;
import static dev.relay.account.GoldenAccounts.PROFILES;
import static dev.relay.account.GoldenAccounts.RESPONSES_ID;
import static dev.relay.testsupport.FixtureRedis.fixture;
import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.store.Replies;
import dev.relay.testsupport.FixtureRedis;
import dev.relay.testsupport.TestRedis;
import dev.relay.testsupport.TestServices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccountStoreTest {
    TestRedis redis;
    AccountStore store;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        store = new AccountStore(redis.store, TestServices.FIXTURE_ENCRYPTION_KEY);
        for (String file : GoldenAccounts.FILES) {
            FixtureRedis.load(redis, fixture("02-accounts", "redis-" + file + ".json"));
        }
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    /** Every field of every platform: the profile once, the platform's own fields, the secrets, the raw value. */
    @ParameterizedTest
    @EnumSource(Platform.class)
    void everyPlatformDecodesTheLegacyCapture(Platform platform) {
        Account expected = GoldenAccounts.of(platform);
        Account a = await(store.find(platform, expected.id())).orElseThrow();
        assertEquals(expected, a);
        assertEquals(platform, a.platform());
        AccountProfile p = PROFILES.get(platform);
        assertEquals(List.of(p.id(), p.name(), p.description(), p.accountType(), p.priority(), p.active(), p.status(),
                p.schedulable(), p.proxy(), p.subscriptionExpiresAt(), p.errorMessage(), p.rateLimitStatus(),
                p.rateLimitedAt(), p.lastUsedAt()), List.of(a.id(), a.name(), a.description(), a.accountType(),
                a.priority(), a.active(), a.status(), a.schedulable(), a.proxy(), a.subscriptionExpiresAt(),
                a.errorMessage(), a.rateLimitStatus(), a.rateLimitedAt(), a.lastUsedAt()));
        assertEquals(Optional.empty(), await(store.find(platform, "nope")));
    }

    @Test
    void secretsDecryptToTheKnownPlaintexts() {
        ClaudeOAuthAccount claude = await(store.claudeOAuth(CLAUDE_ID)).orElseThrow();
        assertEquals("fixture-oauth@example.com", claude.email());
        assertEquals("sk-ant-oat01-fixture-access-0001", claude.accessToken());
        assertTrue(claude.subscriptionInfo().contains("\"accountType\":\"claude_max\""));
        assertEquals("sk-ant-api03-fixture-console-0001",
                await(store.claudeConsole(CONSOLE_ID)).orElseThrow().apiKey());
        assertEquals("sk-fixture-ccr-0001", await(store.ccr(CCR_ID)).orElseThrow().apiKey());
        BedrockAccount bedrock = await(store.bedrock(BEDROCK_ID)).orElseThrow();
        assertEquals("AKIAFIXTURE000000001", bedrock.accessKeyId());
        assertEquals("fixture-aws-secret-0001", bedrock.secretAccessKey());
        assertEquals("", bedrock.sessionToken());
        assertEquals("ya29.fixture-gemini-access-0001",
                await(store.geminiOAuth(GEMINI_ID)).orElseThrow().accessToken());
        assertEquals("AIzaFixtureGeminiApiKey0001", await(store.geminiApi(GEMINI_API_ID)).orElseThrow().apiKey());
        OpenAIOAuthAccount openai = await(store.openaiOAuth(OPENAI_ID)).orElseThrow();
        assertEquals("rt_fixture_openai_refresh_0001", openai.refreshToken());
        assertEquals("fixture-openai@example.com", openai.email());
        assertEquals("sk-fixture-openai-responses-0001",
                await(store.openaiResponses(RESPONSES_ID)).orElseThrow().apiKey());
        assertEquals("fixture-azure-api-key-0001", await(store.azureOpenai(AZURE_ID)).orElseThrow().apiKey());
        List<DroidAccount.DroidApiKey> droidKeys = await(store.droid(DROID_ID)).orElseThrow().apiKeys();
        assertEquals(List.of("fk-fixture-droid-apikey-0001", "fk-fixture-droid-apikey-0002"),
                droidKeys.stream().map(DroidAccount.DroidApiKey::key).toList());
    }

    @Test
    void consoleLikeAccessorsReadTheSharedSettings() {
        ConsoleSettings settings = new ConsoleSettings("http://u", "k", Map.of("a", "b"), List.of("c"), "ua", 7, 1.5);
        ConsoleLikeAccount a = new CcrAccount(PROFILES.get(Platform.CCR), settings, "", Map.of());
        assertEquals(List.of("http://u", "k", Map.of("a", "b"), List.of("c"), "ua", 7, 1.5), List.of(a.apiUrl(),
                a.apiKey(), a.modelMapping(), a.modelAllowList(), a.userAgent(), a.rateLimitDurationMinutes(),
                a.dailyQuota()));
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
        assertEquals("claude:account:x", AccountStore.key(Platform.CLAUDE_OAUTH, "x"));
        assertEquals("azure_openai:account:x", AccountStore.key(Platform.AZURE_OPENAI, "x"));
        for (Platform platform : Platform.values()) {
            assertEquals(GoldenAccounts.keyOf(platform), AccountStore.key(platform, PROFILES.get(platform).id()));
            AccountStore.sharedSet(platform).ifPresent(set ->
                    assertTrue(redis.call("SMEMBERS", set).size() == 1, platform.name()));
        }
        assertEquals(Set.of(CONSOLE_ID), Replies.set(redis.call("SMEMBERS",
                AccountStore.sharedSet(Platform.CLAUDE_CONSOLE).orElseThrow())));
        assertEquals(Optional.empty(), AccountStore.sharedSet(Platform.CLAUDE_OAUTH));
    }
}
