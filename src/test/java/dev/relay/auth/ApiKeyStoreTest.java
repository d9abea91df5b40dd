package dev.relay.auth;

import static dev.relay.testsupport.FixtureRedis.fixture;
import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.store.ApiKeyHasher;
import dev.relay.store.Replies;
import dev.relay.testsupport.FixtureRedis;
import dev.relay.testsupport.TestRedis;
import dev.relay.testsupport.TestServices;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeyStoreTest {
    static final String KEY = TestServices.FIXTURE_ENCRYPTION_KEY;
    static final String FULL_ID = "cf0aa9bb-cbb6-4734-a55c-422b60af8d93";
    static final String ACTIVATION_ID = "9099e624-a89c-4533-ba13-47c6f3b05472";

    TestRedis redis;
    ApiKeyStore store;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        store = new ApiKeyStore(redis.store);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void fullKeyReadsBackWithEveryOption() {
        FixtureRedis.load(redis, fixture("01-api-key-full", "redis-create-full.json"));
        ApiKey key = await(store.findByHash(ApiKeyHasher.hash(rawKey(FULL_ID), KEY))).orElseThrow();

        assertEquals(FULL_ID, key.id());
        assertEquals("fx-key-full", key.name());
        assertEquals("3880346a116bf4c2a76934ebbeb3cdfa0ce5a0482b8324b634e37ab082631830", key.hashedKey());
        assertTrue(key.active());
        assertEquals("claude", key.permissions());
        assertTrue(key.permits("claude"));
        assertFalse(key.permits("gemini"));
        assertEquals(1_000_000L, key.tokenLimit());
        assertEquals(2, key.concurrencyLimit());
        assertEquals(60, key.rateLimitWindowMinutes());
        assertEquals(100L, key.rateLimitRequests());
        assertEquals(5.5, key.rateLimitCost());
        assertEquals("group:cb0a620d-3a0c-4249-a2c2-84913c262a1d", key.claudeAccountId());
        assertEquals("d09be248-12ea-4668-bc07-7acdf40463d6", key.claudeConsoleAccountId());
        assertEquals("ae603b6c-f2f5-4aeb-b70e-afe2a71eba06", key.bedrockAccountId());
        assertEquals("api:63ef7259-3910-412f-8879-909f10363459", key.geminiAccountId());
        assertEquals("responses:3a24f6c7-81f3-48f6-9324-733abff4d87a", key.openaiAccountId());
        assertEquals("", key.azureOpenaiAccountId());
        assertEquals("87fbc785-bc22-4e52-9c2b-19a30365c7e1", key.droidAccountId());
        assertTrue(key.enableModelRestriction());
        assertEquals(List.of("claude-opus-4-20250514", "claude-3-opus-20240229"), key.restrictedModels());
        assertTrue(key.enableClientRestriction());
        assertEquals(List.of("claude_code", "gemini_cli"), key.allowedClients());
        assertEquals(10.25, key.dailyCostLimit());
        assertEquals(100.0, key.totalCostLimit());
        assertEquals(20.5, key.weeklyOpusCostLimit());
        assertEquals("fixed", key.expirationMode());
        assertEquals(30, key.activationDays());
        assertEquals("days", key.activationUnit());
        assertTrue(key.activated());
        assertEquals("2026-12-23T07:21:49.343Z", key.expiresAt());
        assertFalse(key.expired(Instant.parse("2026-12-23T07:21:49.342Z")));
        assertTrue(key.expired(Instant.parse("2026-12-23T07:21:49.343Z")));
        assertEquals("", key.userId());
        assertEquals(0.0, key.fuelBalance());
        assertEquals(0L, key.fuelNextExpiresAtMs());
        assertFalse(key.awaitingActivation());
        // raw keeps every stored field, including ones the record does not name
        assertEquals(fixtureHash("01-api-key-full", "redis-create-full.json", "apikey:" + FULL_ID), key.raw());
        assertEquals("[\"fixture\",\"full-options\"]", key.raw().get("tags"));
        assertEquals("true", key.raw().get("enableModelPassthrough"));
    }

    @Test
    void everyFixtureRawKeyFindsItsKey() {
        FixtureRedis.load(redis, fixture("03-groups", "redis.json"), fixture("01-api-key-full", "redis-create-full.json"),
                fixture("01-api-key-full", "redis-create-minimal.json"),
                fixture("01-api-key-full", "redis-create-disabled.json"),
                fixture("01-api-key-full", "redis-create-expired.json"),
                fixture("01-api-key-full", "redis-create-activation.json"),
                fixture("01-api-key-full", "redis-disable.json"));
        Map<String, String> names = Map.of(
                FULL_ID, "fx-key-full",
                "d26f6426-0cde-4a78-a135-8a92b4355c28", "fx-key-min",
                "f715848a-d269-497c-ac36-42a26bc94f3d", "fx-key-disabled",
                "d4d62d19-43a2-449f-b74e-905b28f4b6eb", "fx-key-expired",
                ACTIVATION_ID, "fx-key-activation");
        for (var e : names.entrySet()) {
            ApiKey key = await(store.findByHash(ApiKeyHasher.hash(rawKey(e.getKey()), KEY))).orElseThrow();
            assertEquals(e.getKey(), key.id());
            assertEquals(e.getValue(), key.name());
        }
        Instant capture = Instant.parse("2026-11-23T07:21:53.251Z");

        ApiKey minimal = await(store.findById("d26f6426-0cde-4a78-a135-8a92b4355c28")).orElseThrow();
        assertTrue(minimal.active());
        assertEquals("all", minimal.permissions());
        assertTrue(minimal.permits("gemini"));
        assertEquals(0, minimal.activationDays());
        assertEquals(List.of(), minimal.restrictedModels());
        assertEquals(List.of(), minimal.allowedClients());
        assertEquals("", minimal.expiresAt());
        assertFalse(minimal.expired(capture));
        assertEquals(0.0, minimal.dailyCostLimit());

        ApiKey disabled = await(store.findById("f715848a-d269-497c-ac36-42a26bc94f3d")).orElseThrow();
        assertFalse(disabled.active());
        assertEquals("2026-11-23T07:21:51.247Z", disabled.raw().get("updatedAt"));

        ApiKey expired = await(store.findById("d4d62d19-43a2-449f-b74e-905b28f4b6eb")).orElseThrow();
        assertTrue(expired.active());
        assertTrue(expired.expired(capture));

        ApiKey activation = await(store.findById(ACTIVATION_ID)).orElseThrow();
        assertEquals("activation", activation.expirationMode());
        assertEquals(2, activation.activationDays());
        assertEquals("hours", activation.activationUnit());
        assertFalse(activation.activated());
        assertTrue(activation.awaitingActivation());

        ApiKey group = await(store.findByHash(ApiKeyHasher.hash(
                "cr_b4397d93337fb81a880e6c743fa57b281329e185c24a917173641772f5855de6", KEY))).orElseThrow();
        assertEquals("group:cb0a620d-3a0c-4249-a2c2-84913c262a1d", group.claudeAccountId());

        assertEquals(Optional.empty(), await(store.findByHash(ApiKeyHasher.hash("cr_unknown", KEY))));
    }

    @Test
    void activationWritesOnlyTheFourLegacyFieldsAndReArmsTheTtl() {
        FixtureRedis.load(redis, fixture("01-api-key-full", "redis-create-activation.json"));
        redis.call("PEXPIRE", ApiKeyStore.key(ACTIVATION_ID), "1000000");
        // a field Node's Lua scripts may have written meanwhile must survive (pitfall P3)
        redis.call("HSET", ApiKeyStore.key(ACTIVATION_ID), "fuelBalance", "3.5");
        ApiKey before = await(store.findById(ACTIVATION_ID)).orElseThrow();
        Instant now = Instant.parse("2026-11-23T07:21:51.629Z");

        ApiKey after = await(store.activate(before, now));

        JsonNode legacy = FixtureRedis.read(fixture("01-api-key-full", "redis-activate.json"))
                .path("changed").path(ApiKeyStore.key(ACTIVATION_ID)).path("after").path("value");
        Map<String, String> expected = new LinkedHashMap<>();
        legacy.fields().forEachRemaining(f -> expected.put(f.getKey(), f.getValue().asText()));
        // the legacy's lastUsedAt was rewritten again by recordUsage after the request; activation writes now
        expected.put("lastUsedAt", "2026-11-23T07:21:51.629Z");
        expected.put("fuelBalance", "3.5");
        assertEquals(expected, Replies.hash(redis.call("HGETALL", ApiKeyStore.key(ACTIVATION_ID))));
        long ttl = redis.call("TTL", ApiKeyStore.key(ACTIVATION_ID)).toLong();
        assertTrue(ttl > 31_535_990 && ttl <= 31_536_000, "ttl " + ttl);

        assertTrue(after.activated());
        assertFalse(after.awaitingActivation());
        assertEquals("2026-11-23T09:21:51.629Z", after.expiresAt());
        assertEquals("2026-11-23T07:21:51.629Z", after.raw().get("activatedAt"));
        assertEquals(3.5, after.fuelBalance());
        assertEquals(expected, after.raw());

        // already activated: nothing is written
        redis.call("HSET", ApiKeyStore.key(ACTIVATION_ID), "expiresAt", "2030-01-01T00:00:00.000Z");
        ApiKey again = await(store.activate(after, now.plusSeconds(60)));
        assertEquals(after, again);
        assertEquals("2030-01-01T00:00:00.000Z",
                redis.call("HGET", ApiKeyStore.key(ACTIVATION_ID), "expiresAt").toString());
    }

    @Test
    void activationDoesNotResurrectADeletedKey() {
        FixtureRedis.load(redis, fixture("01-api-key-full", "redis-create-activation.json"));
        ApiKey before = await(store.findById(ACTIVATION_ID)).orElseThrow();
        redis.call("DEL", ApiKeyStore.key(ACTIVATION_ID));
        ApiKey after = await(store.activate(before, Instant.parse("2026-11-23T07:21:51.629Z")));
        assertTrue(after.activated());
        assertEquals(0L, redis.call("EXISTS", ApiKeyStore.key(ACTIVATION_ID)).toLong());
    }

    @Test
    void activationDaysDefaultsLikeTheLegacy() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "k1");
        fields.put("apiKey", "h1");
        fields.put("isActive", "true");
        fields.put("expirationMode", "activation");
        fields.put("isActivated", "false");
        await(store.create(fields));
        ApiKey key = await(store.findById("k1")).orElseThrow();
        assertEquals(30, key.activationDays());
        ApiKey after = await(store.activate(key, Instant.parse("2026-01-01T00:00:00Z")));
        assertEquals("2026-01-31T00:00:00.000Z", after.expiresAt());
        assertEquals("2026-01-31T00:00:00.000Z",
                redis.call("HGET", ApiKeyStore.key("k1"), "expiresAt").toString());
    }

    @Test
    void mapEntryOfAMissingKeyIsRemoved() {
        redis.call("HSET", ApiKeyStore.HASH_MAP, "deadbeef", "gone-id", "other", "kept-id");
        assertEquals(Optional.empty(), await(store.findByHash("deadbeef")));
        assertNull(redis.call("HGET", ApiKeyStore.HASH_MAP, "deadbeef"));
        assertNotNull(redis.call("HGET", ApiKeyStore.HASH_MAP, "other"));
    }

    @Test
    void staleMapEntryOfARegeneratedKeyDoesNotAuthenticate() {
        redis.call("HSET", ApiKeyStore.key("k2"), "id", "k2", "apiKey", "newhash", "isActive", "true");
        redis.call("HSET", ApiKeyStore.HASH_MAP, "oldhash", "k2", "newhash", "k2");
        assertEquals(Optional.empty(), await(store.findByHash("oldhash")));
        assertEquals("k2", await(store.findByHash("newhash")).orElseThrow().id());
        // Node still relies on the stale entry; we leave it alone
        assertEquals("k2", redis.call("HGET", ApiKeyStore.HASH_MAP, "oldhash").toString());
    }

    @Test
    void createWritesTheKeyWithItsTtlAndThenTheMapEntry() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "k3");
        fields.put("name", "created");
        fields.put("apiKey", ApiKeyHasher.hash("cr_abc", KEY));
        fields.put("isActive", "true");
        await(store.create(fields));
        assertEquals("k3", redis.call("HGET", ApiKeyStore.HASH_MAP, ApiKeyHasher.hash("cr_abc", KEY)).toString());
        assertTrue(redis.call("TTL", ApiKeyStore.key("k3")).toLong() > 31_535_990);
        assertEquals("created", await(store.findByHash(ApiKeyHasher.hash("cr_abc", KEY))).orElseThrow().name());
    }

    private static String rawKey(String id) {
        return FixtureRedis.read(fixture("01-api-key-full", "secrets.json"))
                .path("apikey:" + id).path("apiKey").path("plaintext").asText();
    }

    private static Map<String, String> fixtureHash(String folder, String file, String key) {
        Map<String, String> map = new LinkedHashMap<>();
        FixtureRedis.read(fixture(folder, file)).path("added").path(key).path("value").fields()
                .forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
        return map;
    }
}
