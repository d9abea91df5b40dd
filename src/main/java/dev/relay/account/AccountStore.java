package dev.relay.account;

import dev.relay.config.Secrets;
import dev.relay.store.LegacyValues;
import dev.relay.store.RedisStore;
import dev.relay.store.Replies;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Owns every account key family of redis-keys.md §2.4 (the only class formatting those names) and reads them with
 * their secrets decrypted ({@link AccountDecoder}). Reads are lenient (pitfall P5): a hash without {@code id}
 * counts as missing; nothing here throws on odd stored values.
 */
@Singleton
public class AccountStore {
    private static final int SCAN_COUNT = 500;
    private static final dev.relay.store.LuaScript UPDATE =
            dev.relay.store.LuaScript.fromClasspath("account_update.lua");

    /** A platform's key prefix and shared-pool set (null: none). */
    private record KeyFamily(String prefix, String sharedSet) {
    }

    private final RedisStore redis;
    private final AccountDecoder decoder;

    public AccountStore(RedisStore redis, String encryptionKey) {
        this.redis = redis;
        this.decoder = new AccountDecoder(encryptionKey);
    }

    @Inject
    public AccountStore(RedisStore redis, Secrets secrets) {
        this(redis, secrets.encryptionKey());
    }

    /**
     * Creates this bean at startup (main thread) and derives the scrypt keys there, so the first decrypt on the event
     * loop does not pay for them.
     */
    void onStart(@Observes StartupEvent event) {
        decoder.deriveKeys();
    }

    private static KeyFamily family(Platform platform) {
        return switch (platform) {
            case CLAUDE_OAUTH -> new KeyFamily("claude:account:", null);
            case CLAUDE_CONSOLE -> new KeyFamily("claude_console_account:", "shared_claude_console_accounts");
            case CCR -> new KeyFamily("ccr_account:", "shared_ccr_accounts");
            case BEDROCK -> new KeyFamily("bedrock_account:", null);
            case GEMINI_OAUTH -> new KeyFamily("gemini_account:", "shared_gemini_accounts");
            case GEMINI_API -> new KeyFamily("gemini_api_account:", "shared_gemini_api_accounts");
            case OPENAI_OAUTH -> new KeyFamily("openai:account:", "shared_openai_accounts");
            case OPENAI_RESPONSES -> new KeyFamily("openai_responses_account:", "shared_openai_responses_accounts");
            case AZURE_OPENAI -> new KeyFamily("azure_openai:account:", "shared_azure_openai_accounts");
            case DROID -> new KeyFamily("droid:account:", null);
        };
    }

    /** The account's key, e.g. {@code claude_console_account:{id}}. */
    public static String key(Platform platform, String id) {
        return family(platform).prefix() + id;
    }

    /** The {@code shared_*_accounts} set of the platform; empty for platforms without one. */
    public static Optional<String> sharedSet(Platform platform) {
        return Optional.ofNullable(family(platform).sharedSet());
    }

    /** The account of any platform, e.g. the one a sticky mapping names. */
    public Future<Optional<Account>> find(Platform platform, String id) {
        Future<? extends Optional<? extends Account>> read = switch (platform) {
            case CLAUDE_OAUTH -> claudeOAuth(id);
            case CLAUDE_CONSOLE -> claudeConsole(id);
            case CCR -> ccr(id);
            case BEDROCK -> bedrock(id);
            case GEMINI_OAUTH -> geminiOAuth(id);
            case GEMINI_API -> geminiApi(id);
            case OPENAI_OAUTH -> openaiOAuth(id);
            case OPENAI_RESPONSES -> openaiResponses(id);
            case AZURE_OPENAI -> azureOpenai(id);
            case DROID -> droid(id);
        };
        return read.map(found -> found.map(Account.class::cast));
    }

    public Future<Optional<ClaudeOAuthAccount>> claudeOAuth(String id) {
        return hash(Platform.CLAUDE_OAUTH, id, decoder::claudeOAuth);
    }

    public Future<Optional<ClaudeConsoleAccount>> claudeConsole(String id) {
        return hash(Platform.CLAUDE_CONSOLE, id, decoder::claudeConsole);
    }

    public Future<Optional<CcrAccount>> ccr(String id) {
        return hash(Platform.CCR, id, decoder::ccr);
    }

    public Future<Optional<GeminiOAuthAccount>> geminiOAuth(String id) {
        return hash(Platform.GEMINI_OAUTH, id, decoder::geminiOAuth);
    }

    public Future<Optional<GeminiApiAccount>> geminiApi(String id) {
        return hash(Platform.GEMINI_API, id, decoder::geminiApi);
    }

    public Future<Optional<OpenAIOAuthAccount>> openaiOAuth(String id) {
        return hash(Platform.OPENAI_OAUTH, id, decoder::openaiOAuth);
    }

    public Future<Optional<OpenAIResponsesAccount>> openaiResponses(String id) {
        return hash(Platform.OPENAI_RESPONSES, id, decoder::openaiResponses);
    }

    public Future<Optional<AzureOpenAIAccount>> azureOpenai(String id) {
        return hash(Platform.AZURE_OPENAI, id, decoder::azureOpenai);
    }

    public Future<Optional<DroidAccount>> droid(String id) {
        return hash(Platform.DROID, id, decoder::droid);
    }

    /** {@code bedrock_account:{id}} is a JSON STRING; unparseable JSON or a missing {@code id} counts as missing. */
    public Future<Optional<BedrockAccount>> bedrock(String id) {
        return redis.send(Request.cmd(Command.GET).arg(key(Platform.BEDROCK, id)))
                .map(reply -> Optional.ofNullable(StoredJson.parse(Replies.text(reply))).map(decoder::bedrock));
    }

    /** Every {@code claude_console_account:*} (SCAN MATCH … COUNT 500, then one pipelined HGETALL round trip). */
    public Future<List<ClaudeConsoleAccount>> allClaudeConsole() {
        return all(Platform.CLAUDE_CONSOLE, decoder::claudeConsole);
    }

    /** Every {@code claude:account:*}. */
    public Future<List<ClaudeOAuthAccount>> allClaudeOAuth() {
        return all(Platform.CLAUDE_OAUTH, decoder::claudeOAuth);
    }

    /** Every {@code ccr_account:*}. */
    public Future<List<CcrAccount>> allCcr() {
        return all(Platform.CCR, decoder::ccr);
    }

    /** A secret encrypted as the platform's legacy service stores it (redis-keys.md §3): {@code ivHex:cipherHex}. */
    public String encrypt(SecretCipher.Service service, String plaintext) {
        return decoder.cipher(service).encrypt(plaintext);
    }

    /**
     * Partial update of a Console account (the Console service writes only changed fields, §2.4): HSET of
     * {@code set} and HDEL of {@code delete} in one pipelined round trip. Values are written as given.
     */
    public Future<Void> updateConsoleFields(String id, Map<String, String> set, List<String> delete) {
        return updateFields(Platform.CLAUDE_CONSOLE, id, set, delete);
    }

    /**
     * Partial update of an account hash: HSET of {@code set} and HDEL of {@code delete} in one pipelined round trip.
     * relay writes only the fields it changes, also where the legacy rewrites the whole hash (Claude OAuth), so a
     * concurrent legacy or admin write to another field is never undone (pitfall P3).
     */
    public Future<Void> updateFields(Platform platform, String id, Map<String, String> set, List<String> delete) {
        String key = key(platform, id);
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

    private <T> Future<Optional<T>> hash(Platform platform, String id, Function<StoredHash, T> decode) {
        return redis.send(Request.cmd(Command.HGETALL).arg(key(platform, id)))
                .map(reply -> Optional.ofNullable(decodeHash(Replies.hash(reply), decode)));
    }

    private static <T> T decodeHash(Map<String, String> fields, Function<StoredHash, T> decode) {
        if (LegacyValues.isBlank(fields.get("id"))) {
            return null;
        }
        return decode.apply(new StoredHash(fields));
    }

    private <T> Future<List<T>> all(Platform platform, Function<StoredHash, T> decode) {
        String prefix = family(platform).prefix();
        Set<String> ids = new LinkedHashSet<>();
        return scan("0", prefix, ids).compose(ignored -> {
            if (ids.isEmpty()) {
                return Future.succeededFuture(List.<T>of());
            }
            List<Request> reads = new ArrayList<>(ids.size());
            ids.forEach(id -> reads.add(Request.cmd(Command.HGETALL).arg(prefix + id)));
            return redis.batch(reads).map(replies -> {
                List<T> accounts = new ArrayList<>(replies.size());
                for (Response reply : replies) {
                    T account = decodeHash(Replies.hash(reply), decode);
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

    /** Every hash of a platform's family as stored (secrets still encrypted); hashes without {@code id} are left out. */
    public Future<List<Map<String, String>>> allStored(Platform platform) {
        return all(platform, StoredHash::raw);
    }

    /** One account's hash as stored; empty when missing or without {@code id}. */
    public Future<Map<String, String>> stored(Platform platform, String id) {
        return redis.send(Request.cmd(Command.HGETALL).arg(key(platform, id))).map(reply -> {
            Map<String, String> fields = Replies.hash(reply);
            return LegacyValues.isBlank(fields.get("id")) ? Map.<String, String>of() : fields;
        });
    }

    /**
     * A new account hash, then its shared-pool membership (redis-keys.md §5 ordering 8), pipelined. Values are
     * written as given; secrets must already be encrypted.
     */
    public Future<Void> create(Platform platform, Map<String, String> fields, boolean shared) {
        String id = fields.get("id");
        if (LegacyValues.isBlank(id)) {
            return Future.failedFuture(new IllegalArgumentException("an account needs an id"));
        }
        Request hset = Request.cmd(Command.HSET).arg(key(platform, id));
        fields.forEach((field, value) -> hset.arg(field).arg(value == null ? "" : value));
        List<Request> requests = new ArrayList<>(2);
        requests.add(hset);
        sharedSet(platform).filter(set -> shared).ifPresent(set -> requests.add(Request.cmd(Command.SADD).arg(set).arg(id)));
        return redis.batch(requests).mapEmpty();
    }

    /**
     * Sets and removes fields of an existing account in one script call; false (and nothing written) when the
     * account is gone. {@code shared} (when not null) keeps the shared-pool set in step with a changed type.
     */
    public Future<Boolean> update(Platform platform, String id, Map<String, String> set, List<String> delete,
            Boolean shared) {
        List<String> args = new ArrayList<>(1 + set.size() * 2 + delete.size());
        args.add(String.valueOf(set.size()));
        set.forEach((field, value) -> {
            args.add(field);
            args.add(value == null ? "" : value);
        });
        args.addAll(delete);
        return UPDATE.call(redis, List.of(key(platform, id)), args).compose(reply -> {
            boolean found = reply.toLong() == 1;
            Optional<String> pool = sharedSet(platform);
            if (!found || shared == null || pool.isEmpty()) {
                return Future.succeededFuture(found);
            }
            Request membership = Request.cmd(shared ? Command.SADD : Command.SREM).arg(pool.get()).arg(id);
            return redis.send(membership).map(v -> true);
        });
    }

    /** Deletes the account hash and its shared-pool membership. */
    public Future<Void> delete(Platform platform, String id) {
        List<Request> requests = new ArrayList<>(2);
        requests.add(Request.cmd(Command.DEL).arg(key(platform, id)));
        sharedSet(platform).ifPresent(set -> requests.add(Request.cmd(Command.SREM).arg(set).arg(id)));
        return redis.batch(requests).mapEmpty();
    }
}
