package dev.relay.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.account.SecretCipher.Service;
import dev.relay.config.Secrets;
import dev.relay.store.LegacyValues;
import dev.relay.store.RedisStore;
import dev.relay.store.Replies;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Owns every account key family of redis-keys.md §2.4 (the only class formatting those names) and decrypts their
 * secrets with each legacy service's salt and failure behaviour (§3). Reads are lenient (pitfall P5): a hash
 * without {@code id} counts as missing; nothing here throws on odd stored values.
 */
@Singleton
public class AccountStore {
    /** The account platforms, their key prefixes, shared-pool sets (null: none) and cipher services. */
    public enum Kind {
        CLAUDE_OAUTH("claude:account:", null, Service.CLAUDE),
        CLAUDE_CONSOLE("claude_console_account:", "shared_claude_console_accounts", Service.CLAUDE_CONSOLE),
        CCR("ccr_account:", "shared_ccr_accounts", Service.CCR),
        BEDROCK("bedrock_account:", null, null),
        GEMINI_OAUTH("gemini_account:", "shared_gemini_accounts", Service.GEMINI),
        GEMINI_API("gemini_api_account:", "shared_gemini_api_accounts", Service.GEMINI_API),
        OPENAI_OAUTH("openai:account:", "shared_openai_accounts", Service.OPENAI),
        OPENAI_RESPONSES("openai_responses_account:", "shared_openai_responses_accounts", Service.OPENAI_RESPONSES),
        AZURE_OPENAI("azure_openai:account:", "shared_azure_openai_accounts", Service.AZURE_OPENAI),
        DROID("droid:account:", null, Service.DROID);

        private final String prefix;
        private final String sharedSet;
        private final Service cipher;

        Kind(String prefix, String sharedSet, Service cipher) {
            this.prefix = prefix;
            this.sharedSet = sharedSet;
            this.cipher = cipher;
        }

        public String key(String id) {
            return prefix + id;
        }

        /** The {@code shared_*_accounts} set, or null for platforms without one. */
        public String sharedSet() {
            return sharedSet;
        }
    }

    private static final int SCAN_COUNT = 500;

    private final RedisStore redis;
    private final Map<Service, SecretCipher> ciphers = new EnumMap<>(Service.class);
    private final BedrockCipher bedrockCipher;

    public AccountStore(RedisStore redis, String encryptionKey) {
        this.redis = redis;
        for (Service service : Service.values()) {
            ciphers.put(service, new SecretCipher(service, encryptionKey));
        }
        this.bedrockCipher = new BedrockCipher(encryptionKey);
    }

    @Inject
    public AccountStore(RedisStore redis, Secrets secrets) {
        this(redis, secrets.encryptionKey());
    }

    /**
     * Derives all scrypt keys now (each costs tens of ms of CPU and 16 MiB), so the first decrypt on the event loop
     * does not pay it. Keys are cached per JVM.
     */
    public void deriveKeys() {
        ciphers.values().forEach(SecretCipher::key);
    }

    /** Creates this bean at startup (main thread) and derives the keys there, off the event loop. */
    void onStart(@Observes StartupEvent event) {
        deriveKeys();
    }

    public SecretCipher cipher(Service service) {
        return ciphers.get(service);
    }

    public BedrockCipher bedrockCipher() {
        return bedrockCipher;
    }

    public Future<Optional<ClaudeOAuthAccount>> claudeOAuth(String id) {
        return hash(Kind.CLAUDE_OAUTH, id, this::decodeClaudeOAuth);
    }

    public Future<Optional<ClaudeConsoleAccount>> claudeConsole(String id) {
        return hash(Kind.CLAUDE_CONSOLE, id, this::decodeClaudeConsole);
    }

    public Future<Optional<CcrAccount>> ccr(String id) {
        return hash(Kind.CCR, id, this::decodeCcr);
    }

    public Future<Optional<GeminiOAuthAccount>> geminiOAuth(String id) {
        return hash(Kind.GEMINI_OAUTH, id, this::decodeGeminiOAuth);
    }

    public Future<Optional<GeminiApiAccount>> geminiApi(String id) {
        return hash(Kind.GEMINI_API, id, this::decodeGeminiApi);
    }

    public Future<Optional<OpenAIOAuthAccount>> openaiOAuth(String id) {
        return hash(Kind.OPENAI_OAUTH, id, this::decodeOpenAIOAuth);
    }

    public Future<Optional<OpenAIResponsesAccount>> openaiResponses(String id) {
        return hash(Kind.OPENAI_RESPONSES, id, this::decodeOpenAIResponses);
    }

    public Future<Optional<AzureOpenAIAccount>> azureOpenai(String id) {
        return hash(Kind.AZURE_OPENAI, id, this::decodeAzureOpenAI);
    }

    public Future<Optional<DroidAccount>> droid(String id) {
        return hash(Kind.DROID, id, this::decodeDroid);
    }

    /** {@code bedrock_account:{id}} is a JSON STRING; unparseable JSON or a missing {@code id} counts as missing. */
    public Future<Optional<BedrockAccount>> bedrock(String id) {
        return redis.send(Request.cmd(Command.GET).arg(Kind.BEDROCK.key(id)))
                .map(reply -> Optional.ofNullable(decodeBedrock(Replies.text(reply))));
    }

    /** Every {@code claude_console_account:*} (SCAN MATCH … COUNT 500, then one pipelined HGETALL round trip). */
    public Future<List<ClaudeConsoleAccount>> allClaudeConsole() {
        return all(Kind.CLAUDE_CONSOLE, this::decodeClaudeConsole);
    }

    /** Every {@code claude:account:*}. */
    public Future<List<ClaudeOAuthAccount>> allClaudeOAuth() {
        return all(Kind.CLAUDE_OAUTH, this::decodeClaudeOAuth);
    }

    /**
     * Partial update of a Console account (the Console service writes only changed fields, §2.4): HSET of
     * {@code set} and HDEL of {@code delete} in one pipelined round trip. Values are written as given.
     */
    public Future<Void> updateConsoleFields(String id, Map<String, String> set, List<String> delete) {
        String key = Kind.CLAUDE_CONSOLE.key(id);
        List<Request> requests = new ArrayList<>(2);
        if (!set.isEmpty()) {
            Request hset = Request.cmd(Command.HSET).arg(key);
            set.forEach((field, value) -> hset.arg(field).arg(value == null ? "" : value));
            requests.add(hset);
        }
        if (!delete.isEmpty()) {
            Request hdel = Request.cmd(Command.HDEL).arg(key);
            delete.forEach(hdel::arg);
            requests.add(hdel);
        }
        if (requests.isEmpty()) {
            return Future.succeededFuture();
        }
        return redis.batch(requests).mapEmpty();
    }

    private <T> Future<Optional<T>> hash(Kind kind, String id, Function<StoredHash, T> decoder) {
        return redis.send(Request.cmd(Command.HGETALL).arg(kind.key(id)))
                .map(reply -> Optional.ofNullable(decodeHash(Replies.hash(reply), decoder)));
    }

    private static <T> T decodeHash(Map<String, String> fields, Function<StoredHash, T> decoder) {
        if (LegacyValues.isBlank(fields.get("id"))) {
            return null;
        }
        return decoder.apply(new StoredHash(fields));
    }

    private <T> Future<List<T>> all(Kind kind, Function<StoredHash, T> decoder) {
        Set<String> ids = new LinkedHashSet<>();
        return scan("0", kind.prefix, ids).compose(ignored -> {
            if (ids.isEmpty()) {
                return Future.succeededFuture(List.<T>of());
            }
            List<Request> reads = new ArrayList<>(ids.size());
            ids.forEach(id -> reads.add(Request.cmd(Command.HGETALL).arg(kind.key(id))));
            return redis.batch(reads).map(replies -> {
                List<T> accounts = new ArrayList<>(replies.size());
                for (Response reply : replies) {
                    T account = decodeHash(Replies.hash(reply), decoder);
                    if (account != null) {
                        accounts.add(account);
                    }
                }
                return accounts;
            });
        });
    }

    /** SCAN (never KEYS, pitfall P8); keys with a further {@code :} after the prefix are other families. */
    private Future<Void> scan(String cursor, String prefix, Set<String> ids) {
        Request request = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
                .arg("COUNT").arg(SCAN_COUNT);
        return redis.send(request).compose(reply -> {
            String next = reply.get(0).toString();
            for (Response key : reply.get(1)) {
                String id = key.toString().substring(prefix.length());
                if (!id.isEmpty() && id.indexOf(':') < 0) {
                    ids.add(id);
                }
            }
            return "0".equals(next) ? Future.<Void>succeededFuture() : scan(next, prefix, ids);
        });
    }

    private String decrypt(Service service, StoredHash hash, String field) {
        return ciphers.get(service).decrypt(hash.text(field));
    }

    ClaudeOAuthAccount decodeClaudeOAuth(StoredHash h) {
        Service s = Service.CLAUDE;
        return new ClaudeOAuthAccount(h.text("id"), h.text("name"), h.text("description"),
                decrypt(s, h, "email"), decrypt(s, h, "password"), decrypt(s, h, "claudeAiOauth"),
                decrypt(s, h, "accessToken"), decrypt(s, h, "refreshToken"), h.integer("expiresAt"),
                h.text("scopes"), h.text("proxy"), h.flag("isActive"), h.text("accountType"),
                h.text("platform", "claude"), h.priority(), h.text("status"), h.text("errorMessage"),
                h.notFalse("schedulable"), h.text("subscriptionInfo"), h.text("subscriptionExpiresAt"),
                h.text("extInfo"), (int) h.integer("maxConcurrency"), h.flag("autoStopOnWarning"),
                h.flag("useUnifiedUserAgent"), h.flag("useUnifiedClientId"), h.text("unifiedClientId"),
                h.flag("interceptWarmup"), h.text("rateLimitStatus"), h.text("rateLimitedAt"),
                h.text("rateLimitEndAt"), h.text("lastUsedAt"), h.raw());
    }

    ClaudeConsoleAccount decodeClaudeConsole(StoredHash h) {
        return new ClaudeConsoleAccount(h.text("id"), h.text("name"), h.text("apiUrl"),
                decrypt(Service.CLAUDE_CONSOLE, h, "apiKey"), h.priority(), h.modelMapping("supportedModels"),
                h.modelAllowList("supportedModels"), h.text("userAgent"),
                h.integerKeepingZero("rateLimitDuration", 60), h.text("proxy"), h.flag("isActive"),
                h.text("accountType"), h.text("status"), h.notFalse("schedulable"), h.text("rateLimitStatus"),
                h.text("rateLimitedAt"), h.text("overloadStatus"), h.text("overloadedAt"),
                h.text("subscriptionExpiresAt"), h.decimal("dailyQuota"), (int) h.integer("maxConcurrentTasks"),
                h.flag("disableAutoProtection"), h.text("lastUsedAt"), h.raw());
    }

    CcrAccount decodeCcr(StoredHash h) {
        return new CcrAccount(h.text("id"), h.text("name"), h.text("description"), h.text("apiUrl"),
                decrypt(Service.CCR, h, "apiKey"), h.priority(), h.modelMapping("supportedModels"),
                h.modelAllowList("supportedModels"), h.text("userAgent", "claude-relay-service/1.0.0"),
                h.integerKeepingZero("rateLimitDuration", 60), h.text("proxy"), h.flag("isActive"),
                h.text("accountType"), h.text("status"), h.notFalse("schedulable"), h.text("rateLimitStatus"),
                h.text("rateLimitedAt"), h.text("overloadedAt"), h.text("subscriptionExpiresAt"),
                h.decimal("dailyQuota"), h.text("lastUsedAt"), h.raw());
    }

    GeminiOAuthAccount decodeGeminiOAuth(StoredHash h) {
        Service s = Service.GEMINI;
        return new GeminiOAuthAccount(h.text("id"), h.text("name"), h.text("description"), h.text("accountType"),
                h.flag("isActive"), h.text("status"), h.notFalse("schedulable"), h.priority(),
                decrypt(s, h, "geminiOauth"), decrypt(s, h, "accessToken"), decrypt(s, h, "refreshToken"),
                h.text("expiresAt"), h.text("scopes"), h.text("subscriptionExpiresAt"), h.text("proxy"),
                h.text("projectId"), h.text("tempProjectId"), h.stringList("supportedModels"),
                h.text("errorMessage"), h.text("rateLimitStatus"), h.text("rateLimitedAt"), h.text("lastUsedAt"),
                h.raw());
    }

    GeminiApiAccount decodeGeminiApi(StoredHash h) {
        return new GeminiApiAccount(h.text("id"), h.text("name"), h.text("description"), h.text("baseUrl"),
                decrypt(Service.GEMINI_API, h, "apiKey"), h.priority(), h.text("proxy"), h.flag("isActive"),
                h.text("accountType"), h.notFalse("schedulable"), h.stringList("supportedModels"),
                h.text("status"), h.text("errorMessage"), h.text("rateLimitStatus"), h.text("rateLimitedAt"),
                h.integerOr("rateLimitDuration", 60), h.text("lastUsedAt"), h.raw());
    }

    OpenAIOAuthAccount decodeOpenAIOAuth(StoredHash h) {
        Service s = Service.OPENAI;
        return new OpenAIOAuthAccount(h.text("id"), h.text("name"), h.text("description"), h.text("accountType"),
                h.text("groupId"), h.priority(), h.integerOr("rateLimitDuration", 60),
                decrypt(s, h, "idToken"), decrypt(s, h, "accessToken"), decrypt(s, h, "refreshToken"),
                decrypt(s, h, "openaiOauth"), decrypt(s, h, "email"), h.text("accountId"),
                h.text("chatgptUserId"), h.text("organizationId"), h.text("planType"), h.text("expiresAt"),
                h.text("subscriptionExpiresAt"), h.flag("isActive"), h.text("status"), h.notFalse("schedulable"),
                h.text("proxy"), h.text("rateLimitStatus"), h.text("rateLimitedAt"), h.text("rateLimitResetAt"),
                h.text("errorMessage"), h.text("lastUsedAt"), h.raw());
    }

    OpenAIResponsesAccount decodeOpenAIResponses(StoredHash h) {
        return new OpenAIResponsesAccount(h.text("id"), h.text("name"), h.text("description"), h.text("baseApi"),
                decrypt(Service.OPENAI_RESPONSES, h, "apiKey"), h.text("userAgent"), h.priority(), h.text("proxy"),
                h.flag("isActive"), h.text("accountType"), h.notFalse("schedulable"),
                h.text("subscriptionExpiresAt"), h.text("status"), h.text("errorMessage"),
                h.text("rateLimitStatus"), h.text("rateLimitedAt"), h.text("rateLimitResetAt"),
                h.integerOr("rateLimitDuration", 60), h.decimal("dailyQuota"), h.text("lastUsedAt"), h.raw());
    }

    AzureOpenAIAccount decodeAzureOpenAI(StoredHash h) {
        return new AzureOpenAIAccount(h.text("id"), h.text("name"), h.text("description"), h.text("accountType"),
                h.text("groupId"), h.priority(), h.text("azureEndpoint"), h.text("apiVersion", "2024-02-01"),
                h.text("deploymentName", "gpt-4"), decrypt(Service.AZURE_OPENAI, h, "apiKey"),
                h.stringList("supportedModels"), h.text("subscriptionExpiresAt"), h.flag("isActive"),
                h.text("status"), h.notFalse("schedulable"), h.text("proxy"), h.text("lastUsedAt"), h.raw());
    }

    DroidAccount decodeDroid(StoredHash h) {
        Service s = Service.DROID;
        return new DroidAccount(h.text("id"), h.text("name"), h.text("description"), h.text("accountType"),
                h.text("platform", "droid"), h.priority(), h.flag("isActive"), h.text("status"),
                h.notFalse("schedulable"), h.text("errorMessage"), h.text("proxy"), h.text("subscriptionExpiresAt"),
                h.text("endpointType", "anthropic"), h.text("authenticationMethod"), decrypt(s, h, "accessToken"),
                decrypt(s, h, "refreshToken"), h.text("expiresAt"), droidApiKeys(h.text("apiKeys")),
                h.text("apiKeyStrategy"), h.text("userAgent"), h.text("lastUsedAt"), h.raw());
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

    BedrockAccount decodeBedrock(String json) {
        if (LegacyValues.isBlank(json)) {
            return null;
        }
        JsonNode node;
        try {
            node = StoredHash.JSON.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isObject() || node.path("id").asText("").isEmpty()) {
            return null;
        }
        JsonNode credentials;
        try {
            credentials = bedrockCipher.decrypt(node.get("awsCredentials"));
        } catch (IllegalArgumentException e) {
            credentials = JsonNodeFactory.instance.objectNode();
        }
        JsonNode priority = node.path("priority");
        return new BedrockAccount(node.path("id").asText(), jsonText(node, "name"), jsonText(node, "description"),
                jsonText(node, "region"), jsonText(node, "defaultModel"), jsonFlag(node, "isActive", false),
                jsonText(node, "accountType"),
                priority.isNumber() ? priority.asInt() : (int) LegacyValues.parseInt(priority.asText("50")),
                jsonFlag(node, "schedulable", true), jsonText(node, "credentialType"),
                jsonText(node, "subscriptionExpiresAt"), jsonText(node, "createdAt"), jsonText(node, "updatedAt"),
                credentials, node);
    }

    /** JSON text field; null and missing read as {@code ""}. */
    private static String jsonText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    /** JSON boolean, tolerating the string forms; missing gives the fallback. */
    private static boolean jsonFlag(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return value.isBoolean() ? value.asBoolean() : "true".equals(value.asText());
    }
}
