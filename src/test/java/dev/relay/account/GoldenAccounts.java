package dev.relay.account;

import static dev.relay.testsupport.FixtureRedis.fixture;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.FixtureRedis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture 02 (one account of each platform, captured from the legacy) written out as the records relay must decode
 * it to. Secrets come from the fixture's {@code secrets.json}, each checked there against what the legacy stored.
 */
final class GoldenAccounts {
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

    static final String PROXY = "{\"type\":\"http\",\"host\":\"127.0.0.1\",\"port\":18443}";
    static final List<String> FILES = List.of("claude-oauth", "claude-console", "bedrock", "gemini-oauth",
            "gemini-api", "openai-oauth", "openai-responses", "azure-openai", "ccr", "droid");

    static final JsonNode SECRETS = FixtureRedis.read(fixture("02-accounts", "secrets.json"));

    static final Map<Platform, AccountProfile> PROFILES = Map.of(
            Platform.CLAUDE_OAUTH, shared(CLAUDE_ID, "fx-claude-oauth",
                    "fixture Claude OAuth account (proxy -> mock)", 90, PROXY),
            Platform.CLAUDE_CONSOLE, shared(CONSOLE_ID, "fx-console", "fixture console account -> mock", 10, ""),
            Platform.CCR, shared(CCR_ID, "fx-ccr", "fixture ccr", 50, ""),
            Platform.BEDROCK, new AccountProfile(BEDROCK_ID, "fx-bedrock", "fixture bedrock (dedicated, never called)",
                    "dedicated", 50, true, "", true, "", "", "", "", "", ""),
            Platform.GEMINI_OAUTH, shared(GEMINI_ID, "fx-gemini-oauth", "fixture gemini oauth", 50, PROXY),
            Platform.GEMINI_API, shared(GEMINI_API_ID, "fx-gemini-api", "fixture gemini api key", 50, ""),
            Platform.OPENAI_OAUTH, shared(OPENAI_ID, "fx-openai-oauth", "fixture openai oauth", 50, PROXY),
            Platform.OPENAI_RESPONSES, shared(RESPONSES_ID, "fx-openai-responses", "fixture responses api key", 50, ""),
            Platform.AZURE_OPENAI, shared(AZURE_ID, "fx-azure-openai", "fixture azure", 50, ""),
            Platform.DROID, shared(DROID_ID, "fx-droid", "fixture droid (api_key provisioning)", 50, ""));

    private GoldenAccounts() {
    }

    /** The fixture account of the platform, decoded by hand from the legacy's capture. */
    static Account of(Platform platform) {
        AccountProfile p = PROFILES.get(platform);
        String key = keyOf(platform);
        return switch (platform) {
            case CLAUDE_OAUTH -> new ClaudeOAuthAccount(p, secret(key, "email"), secret(key, "password"),
                    secret(key, "claudeAiOauth"), secret(key, "accessToken"), secret(key, "refreshToken"),
                    1795447300743L, "user:inference user:profile", "claude",
                    stored("claude-oauth", key).get("subscriptionInfo"), "", 0, false, false, false, "", false, "",
                    stored("claude-oauth", key));
            case CLAUDE_CONSOLE -> new ClaudeConsoleAccount(p, new ConsoleSettings("http://127.0.0.1:18081",
                    secret(key, "apiKey"), Map.of(), List.of(), "claude-cli/1.0.69 (external, cli)", 60, 0.0), "", "",
                    0, false, stored("claude-console", key));
            case CCR -> new CcrAccount(p, new ConsoleSettings("http://127.0.0.1:18081", secret(key, "apiKey"),
                    Map.of(), List.of(), "claude-relay-service/1.0.0", 60, 0.0), "", stored("ccr", key));
            case BEDROCK -> new BedrockAccount(p, "us-east-1", "us.anthropic.claude-sonnet-4-20250514-v1:0",
                    "access_key", "2026-11-23T07:21:42.065Z", "2026-11-23T07:21:42.065Z",
                    json(SECRETS.path(key).path("awsCredentials (JSON property of the STRING value)")
                            .path("plaintext").asText()),
                    json(FixtureRedis.read(fixture("02-accounts", "redis-bedrock.json")).path("added").path(key)
                            .path("value").asText()));
            case GEMINI_OAUTH -> new GeminiOAuthAccount(p, secret(key, "geminiOauth"), secret(key, "accessToken"),
                    secret(key, "refreshToken"), "2026-11-23T15:21:40.743Z",
                    "https://www.googleapis.com/auth/cloud-platform", "fixture-gcp-project", "", List.of(),
                    stored("gemini-oauth", key));
            case GEMINI_API -> new GeminiApiAccount(p, "http://127.0.0.1:18081", secret(key, "apiKey"), List.of(), 60,
                    stored("gemini-api", key));
            case OPENAI_OAUTH -> new OpenAIOAuthAccount(p, "", 60, secret(key, "idToken"), secret(key, "accessToken"),
                    secret(key, "refreshToken"), secret(key, "openaiOauth"), secret(key, "email"),
                    "fixture-chatgpt-account-0001", "user-fixture0001", "org-fixture0001", "plus",
                    "2026-12-03T07:21:43.906Z", "", stored("openai-oauth", key));
            case OPENAI_RESPONSES -> new OpenAIResponsesAccount(p, "http://127.0.0.1:18081", secret(key, "apiKey"), "",
                    "", 60, 0.0, stored("openai-responses", key));
            case AZURE_OPENAI -> new AzureOpenAIAccount(p, "", "https://fixture-resource.openai.azure.com",
                    "2024-02-01", "gpt-4o-fixture", secret(key, "apiKey"), List.of("gpt-4o"),
                    stored("azure-openai", key));
            case DROID -> new DroidAccount(p, "droid", "anthropic", "api_key", "", "", "", List.of(
                    droidKey(key, 0, "7fd0c495-aeab-40ab-abfb-299db10782b3"),
                    droidKey(key, 1, "41fe195c-1152-49cf-af87-106d1594340e")), "random_sticky", "",
                    stored("droid", key));
        };
    }

    /** The key the legacy stored the platform's fixture account under. */
    static String keyOf(Platform platform) {
        String id = PROFILES.get(platform).id();
        return switch (platform) {
            case CLAUDE_OAUTH -> "claude:account:" + id;
            case CLAUDE_CONSOLE -> "claude_console_account:" + id;
            case CCR -> "ccr_account:" + id;
            case BEDROCK -> "bedrock_account:" + id;
            case GEMINI_OAUTH -> "gemini_account:" + id;
            case GEMINI_API -> "gemini_api_account:" + id;
            case OPENAI_OAUTH -> "openai:account:" + id;
            case OPENAI_RESPONSES -> "openai_responses_account:" + id;
            case AZURE_OPENAI -> "azure_openai:account:" + id;
            case DROID -> "droid:account:" + id;
        };
    }

    /** The plaintext of {@code apiKeys[index]}; its stored hash is the SHA-256 of that plaintext. */
    static String droidKeyPlaintext(String key, int index) {
        return SECRETS.path(key).path("apiKeys[" + index
                + "].encryptedKey (JSON inside the field; .hash = sha256(plaintext))").path("plaintext").asText();
    }

    private static DroidAccount.DroidApiKey droidKey(String key, int index, String id) {
        String plaintext = droidKeyPlaintext(key, index);
        return new DroidAccount.DroidApiKey(id, sha256(plaintext), plaintext, "2026-11-23T07:21:46.415Z", "", 0L,
                "active", "");
    }

    private static AccountProfile shared(String id, String name, String description, int priority, String proxy) {
        return new AccountProfile(id, name, description, "shared", priority, true, "active", true, proxy, "", "", "",
                "", "");
    }

    static String secret(String key, String field) {
        JsonNode node = SECRETS.path(key).path(field);
        assertTrue(node.path("verifiedAgainstRedis").asBoolean(), key + "." + field);
        return node.path("plaintext").asText();
    }

    static Map<String, String> stored(String file, String key) {
        Map<String, String> map = new LinkedHashMap<>();
        FixtureRedis.read(fixture("02-accounts", "redis-" + file + ".json")).path("added").path(key).path("value")
                .fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
        assertFalse(map.isEmpty(), key);
        return map;
    }

    private static JsonNode json(String text) {
        try {
            return StoredHash.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
