package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.account.Scrypt;
import dev.relay.fake.FakeTokenEndpoint;
import dev.relay.gateway.upstream.claude.ClaudeTokenEndpoint;
import dev.relay.scheduler.ClaudeAccountPool;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.store.RefreshLock;
import dev.relay.testsupport.RelayWorld;
import dev.relay.testsupport.TestRedis;
import dev.relay.testsupport.TestServices;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token refresh under the legacy's lock (relay.md §5.5, redis-keys.md §2.10): two gateway instances, each with its
 * own Redis connection, HTTP client and refresher, refresh one expired account at the same moment: the token
 * endpoint is called once, both use the token the winner stored, and the stored tokens are what a legacy reader
 * decrypts by redis-keys.md §3 alone.
 */
class RefreshingTokensTest {
    /** One gateway instance's refresh machinery. */
    record Instance(TestRedis redis, AccountStore accounts, RefreshingTokens<ClaudeOAuthAccount> tokens, UpstreamHttp http) {
        static Instance start(String tokenUrl) {
            TestRedis redis = new TestRedis();
            AccountStore accounts = new AccountStore(redis.store, TestServices.FIXTURE_ENCRYPTION_KEY);
            ClaudeAccountPool pool = new ClaudeAccountPool(new ConsoleAccountPool(accounts, redis.vertx), accounts,
                    redis.vertx);
            UpstreamHttp http = new UpstreamHttp(redis.vertx, 30_000);
            ClaudeTokenEndpoint endpoint = new ClaudeTokenEndpoint(http, accounts, pool, List.of(tokenUrl),
                    "http://127.0.0.1:9", Clock.systemUTC());
            return new Instance(redis, accounts, new RefreshingTokens<>(endpoint, new RefreshLock(redis.store),
                    redis.vertx, 10_000, Clock.systemUTC()), http);
        }

        ClaudeOAuthAccount read(String id) {
            return TestRedis.await(accounts.claudeOAuth(id)).orElseThrow();
        }
    }

    final FakeTokenEndpoint tokenEndpoint = new FakeTokenEndpoint();
    Instance one;
    Instance two;
    String accountId;

    @BeforeEach
    void start() {
        tokenEndpoint.start();
        one = Instance.start(tokenEndpoint.url());
        two = Instance.start(tokenEndpoint.url());
        one.redis.flush();
        accountId = UUID.randomUUID().toString();
        new RelayWorld(one.redis).oauthAccount(accountId, 50, "sk-ant-oat01-old", "sk-ant-ort01-old",
                System.currentTimeMillis() - 1000, Map.of());
    }

    @AfterEach
    void stop() {
        one.redis.flush();
        one.redis.close();
        two.redis.close();
        tokenEndpoint.close();
    }

    @Test
    void twoInstancesRefreshingOneAccountAtOnceCallTheTokenEndpointOnce() {
        tokenEndpoint.delayMs(500); // the winner holds the lock long enough for the other to find it taken
        ClaudeOAuthAccount seenByOne = one.read(accountId);
        ClaudeOAuthAccount seenByTwo = two.read(accountId);

        Future<ClaudeOAuthAccount> first = one.tokens.fresh(seenByOne);
        Future<ClaudeOAuthAccount> second = two.tokens.fresh(seenByTwo);

        assertEquals(FakeTokenEndpoint.accessToken(1), TestRedis.await(first).accessToken());
        assertEquals(FakeTokenEndpoint.accessToken(1), TestRedis.await(second).accessToken());
        assertEquals(1, tokenEndpoint.calls());
        assertEquals(0, one.redis.call("EXISTS", "token_refresh_lock:claude:" + accountId).toLong());
    }

    @Test
    void aTokenInItsLastMinuteIsUsedWhileAnotherInstanceRefreshesIt() {
        one.redis.call("HSET", "claude:account:" + accountId, "expiresAt",
                String.valueOf(System.currentTimeMillis() + 30_000));
        one.redis.call("SET", "token_refresh_lock:claude:" + accountId, "someone-else", "EX", "60");

        ClaudeOAuthAccount used = TestRedis.await(one.tokens.fresh(one.read(accountId)));

        assertEquals("sk-ant-oat01-old", used.accessToken());
        assertEquals(0, tokenEndpoint.calls());
    }

    @Test
    void requestsOfOneInstanceShareOneRefresh() {
        tokenEndpoint.delayMs(200);
        ClaudeOAuthAccount account = one.read(accountId);

        Future<ClaudeOAuthAccount> a = one.tokens.fresh(account);
        Future<ClaudeOAuthAccount> b = one.tokens.fresh(account);

        assertEquals(TestRedis.await(a).accessToken(), TestRedis.await(b).accessToken());
        assertEquals(1, tokenEndpoint.calls());
    }

    @Test
    void aValidTokenIsUsedWithoutACallAndARefusedOneIsReplaced() {
        one.redis.call("HSET", "claude:account:" + accountId, "expiresAt",
                String.valueOf(System.currentTimeMillis() + 3_600_000));
        ClaudeOAuthAccount valid = one.read(accountId);

        assertEquals("sk-ant-oat01-old", TestRedis.await(one.tokens.fresh(valid)).accessToken());
        assertEquals(0, tokenEndpoint.calls());

        ClaudeOAuthAccount renewed = TestRedis.await(one.tokens.afterRejection(valid, "sk-ant-oat01-old"));
        assertEquals(FakeTokenEndpoint.accessToken(1), renewed.accessToken());
        assertEquals(1, tokenEndpoint.calls());
    }

    @Test
    void refreshedTokensAreStoredInTheLegacyFormatAndFields() throws Exception {
        long before = System.currentTimeMillis();
        TestRedis.await(one.tokens.fresh(one.read(accountId)));

        Map<String, String> stored = hash(one.redis, "claude:account:" + accountId);
        assertEquals(FakeTokenEndpoint.accessToken(1), legacyDecrypt(stored.get("accessToken")));
        assertEquals(FakeTokenEndpoint.refreshToken(1), legacyDecrypt(stored.get("refreshToken")));
        long expiresAt = Long.parseLong(stored.get("expiresAt"));
        assertTrue(expiresAt >= before + 28_800_000 && expiresAt <= System.currentTimeMillis() + 28_800_000);
        assertEquals("active", stored.get("status"));
        assertEquals("", stored.get("errorMessage"));
        assertTrue(stored.get("lastRefreshAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals("fixture-oauth@example.com", legacyDecrypt(stored.get("email")), "other secrets untouched");
    }

    @Test
    void aFailedRefreshMarksTheAccountAsTheLegacyDoes() {
        tokenEndpoint.status(400);

        Future<ClaudeOAuthAccount> refresh = one.tokens.fresh(one.read(accountId));

        try {
            refresh.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            throw new AssertionError("the refresh should fail");
        } catch (java.util.concurrent.ExecutionException expected) {
            assertTrue(expected.getCause().getMessage().contains("400"), expected.getCause().getMessage());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
        Map<String, String> stored = hash(one.redis, "claude:account:" + accountId);
        assertEquals("error", stored.get("status"));
        assertTrue(stored.get("errorMessage").startsWith("Token refresh failed"), stored.get("errorMessage"));
        assertEquals(0, one.redis.call("EXISTS", "token_refresh_lock:claude:" + accountId).toLong());
    }

    static Map<String, String> hash(TestRedis redis, String key) {
        var reply = redis.call("HGETALL", key);
        Map<String, String> fields = new java.util.HashMap<>();
        for (String k : reply.getKeys()) {
            fields.put(k, reply.get(k).toString());
        }
        return fields;
    }

    /**
     * redis-keys.md §3 and nothing else: AES-256-CBC, PKCS#7, key = scrypt(ENCRYPTION_KEY, "salt", N=16384, r=8,
     * p=1, 32 bytes), stored as lowercase hex IV, {@code :}, hex ciphertext.
     */
    static String legacyDecrypt(String stored) throws Exception {
        String[] parts = stored.split(":");
        assertEquals(2, parts.length, stored);
        assertTrue(parts[0].matches("[0-9a-f]{32}") && parts[1].matches("[0-9a-f]+"), stored);
        byte[] key = Scrypt.derive(TestServices.FIXTURE_ENCRYPTION_KEY.getBytes(StandardCharsets.UTF_8),
                "salt".getBytes(StandardCharsets.UTF_8), 16384, 8, 1, 32);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new IvParameterSpec(HexFormat.of().parseHex(parts[0])));
        return new String(cipher.doFinal(HexFormat.of().parseHex(parts[1])), StandardCharsets.UTF_8);
    }
}
