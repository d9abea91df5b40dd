package dev.relay.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.account.SecretCipher.Service;
import dev.relay.store.LegacyValues;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored accounts into records: the profile once, then each platform's own fields, with its secrets decrypted
 * by the salt and failure behaviour of the legacy service that wrote them (redis-keys.md §2.4, §3).
 */
final class AccountDecoder {
    private static final String CCR_USER_AGENT = "claude-relay-service/1.0.0";

    private final Map<Service, SecretCipher> ciphers = new EnumMap<>(Service.class);
    private final BedrockCipher bedrockCipher;

    AccountDecoder(String encryptionKey) {
        for (Service service : Service.values()) {
            ciphers.put(service, new SecretCipher(service, encryptionKey));
        }
        this.bedrockCipher = new BedrockCipher(encryptionKey);
    }

    SecretCipher cipher(Service service) {
        return ciphers.get(service);
    }

    /** Derives every scrypt key now (tens of ms of CPU and 16 MiB each); keys are cached per JVM. */
    void deriveKeys() {
        ciphers.values().forEach(SecretCipher::key);
    }

    ClaudeOAuthAccount claudeOAuth(StoredHash h) {
        Service s = Service.CLAUDE;
        return new ClaudeOAuthAccount(AccountProfile.decode(h), decrypt(s, h, "email"), decrypt(s, h, "password"),
                decrypt(s, h, "claudeAiOauth"), decrypt(s, h, "accessToken"), decrypt(s, h, "refreshToken"),
                h.integer("expiresAt"), h.text("scopes"), h.text("platform", "claude"), h.text("subscriptionInfo"),
                h.text("extInfo"), (int) h.integer("maxConcurrency"), h.flag("autoStopOnWarning"),
                h.flag("useUnifiedUserAgent"), h.flag("useUnifiedClientId"), h.text("unifiedClientId"),
                h.flag("interceptWarmup"), h.text("rateLimitEndAt"), h.raw());
    }

    ClaudeConsoleAccount claudeConsole(StoredHash h) {
        return new ClaudeConsoleAccount(AccountProfile.decode(h), consoleSettings(h, Service.CLAUDE_CONSOLE, ""),
                h.text("overloadStatus"), h.text("overloadedAt"), (int) h.integer("maxConcurrentTasks"),
                h.flag("disableAutoProtection"), h.raw());
    }

    CcrAccount ccr(StoredHash h) {
        return new CcrAccount(AccountProfile.decode(h), consoleSettings(h, Service.CCR, CCR_USER_AGENT),
                h.text("overloadedAt"), h.raw());
    }

    private ConsoleSettings consoleSettings(StoredHash h, Service cipher, String defaultUserAgent) {
        return new ConsoleSettings(h.text("apiUrl"), decrypt(cipher, h, "apiKey"), h.modelMapping("supportedModels"),
                h.modelAllowList("supportedModels"), h.text("userAgent", defaultUserAgent),
                h.integerKeepingZero("rateLimitDuration", 60), h.decimal("dailyQuota"));
    }

    GeminiOAuthAccount geminiOAuth(StoredHash h) {
        Service s = Service.GEMINI;
        return new GeminiOAuthAccount(AccountProfile.decode(h), decrypt(s, h, "geminiOauth"),
                decrypt(s, h, "accessToken"), decrypt(s, h, "refreshToken"), h.text("expiresAt"), h.text("scopes"),
                h.text("projectId"), h.text("tempProjectId"), h.stringList("supportedModels"), h.raw());
    }

    GeminiApiAccount geminiApi(StoredHash h) {
        return new GeminiApiAccount(AccountProfile.decode(h), h.text("baseUrl"),
                decrypt(Service.GEMINI_API, h, "apiKey"), h.stringList("supportedModels"),
                h.integerOr("rateLimitDuration", 60), h.raw());
    }

    OpenAIOAuthAccount openaiOAuth(StoredHash h) {
        Service s = Service.OPENAI;
        return new OpenAIOAuthAccount(AccountProfile.decode(h), h.text("groupId"), h.integerOr("rateLimitDuration", 60),
                decrypt(s, h, "idToken"), decrypt(s, h, "accessToken"), decrypt(s, h, "refreshToken"),
                decrypt(s, h, "openaiOauth"), decrypt(s, h, "email"), h.text("accountId"), h.text("chatgptUserId"),
                h.text("organizationId"), h.text("planType"), h.text("expiresAt"), h.text("rateLimitResetAt"),
                h.raw());
    }

    OpenAIResponsesAccount openaiResponses(StoredHash h) {
        return new OpenAIResponsesAccount(AccountProfile.decode(h), h.text("baseApi"),
                decrypt(Service.OPENAI_RESPONSES, h, "apiKey"), h.text("userAgent"), h.text("rateLimitResetAt"),
                h.integerOr("rateLimitDuration", 60), h.decimal("dailyQuota"), h.raw());
    }

    AzureOpenAIAccount azureOpenai(StoredHash h) {
        return new AzureOpenAIAccount(AccountProfile.decode(h), h.text("groupId"), h.text("azureEndpoint"),
                h.text("apiVersion", "2024-02-01"), h.text("deploymentName", "gpt-4"),
                decrypt(Service.AZURE_OPENAI, h, "apiKey"), h.stringList("supportedModels"), h.raw());
    }

    DroidAccount droid(StoredHash h) {
        Service s = Service.DROID;
        return new DroidAccount(AccountProfile.decode(h), h.text("platform", "droid"),
                h.text("endpointType", "anthropic"), h.text("authenticationMethod"), decrypt(s, h, "accessToken"),
                decrypt(s, h, "refreshToken"), h.text("expiresAt"), droidApiKeys(h.text("apiKeys")),
                h.text("apiKeyStrategy"), h.text("userAgent"), h.raw());
    }

    BedrockAccount bedrock(StoredJson json) {
        JsonNode credentials;
        try {
            credentials = bedrockCipher.decrypt(json.node().get("awsCredentials"));
        } catch (IllegalArgumentException e) {
            credentials = JsonNodeFactory.instance.objectNode();
        }
        return new BedrockAccount(AccountProfile.decode(json), json.text("region"), json.text("defaultModel"),
                json.text("credentialType"), json.text("createdAt"), json.text("updatedAt"), credentials,
                json.node());
    }

    private String decrypt(Service service, StoredHash hash, String field) {
        return ciphers.get(service).decrypt(hash.text(field));
    }

    private List<DroidAccount.DroidApiKey> droidApiKeys(String json) {
        if (json.isEmpty()) {
            return List.of();
        }
        JsonNode array;
        try {
            array = StoredHash.JSON.readTree(json);
        } catch (Exception e) {
            return List.of();
        }
        if (array == null || !array.isArray()) {
            return List.of();
        }
        SecretCipher cipher = ciphers.get(Service.DROID);
        List<DroidAccount.DroidApiKey> keys = new ArrayList<>();
        for (JsonNode entry : array) {
            if (!entry.isObject()) {
                continue;
            }
            keys.add(new DroidAccount.DroidApiKey(entry.path("id").asText(""), entry.path("hash").asText(""),
                    cipher.decrypt(entry.path("encryptedKey").asText("")), entry.path("createdAt").asText(""),
                    entry.path("lastUsedAt").asText(""), LegacyValues.parseInt(entry.path("usageCount").asText("")),
                    entry.path("status").asText(""), entry.path("errorMessage").asText("")));
        }
        return List.copyOf(keys);
    }
}
