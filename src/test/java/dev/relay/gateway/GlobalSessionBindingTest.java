package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.post;
import static dev.relay.gateway.RelayFlow.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.FakeTokenEndpoint;
import dev.relay.testsupport.OAuthTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Global session binding on real Redis (relay.md §4.3, {@code original_session_binding:*}): the key, value and TTL
 * the legacy writes, the forced account, and the legacy's 403/400 {@code session_binding_error} answers.
 */
@QuarkusTest
@QuarkusTestResource(OAuthTestResource.class)
class GlobalSessionBindingTest extends RelayTestBase {
    static final FakeAnthropic API = OAuthTestResource.API;
    static final FakeTokenEndpoint TOKENS = OAuthTestResource.TOKENS;
    static final String DEFAULT_MESSAGE = "你的本地session已污染，请清理后使用。";

    String oauth;
    String console;
    String session;
    RelayWorld.SeededKey key;

    @BeforeEach
    void seed() {
        API.reset();
        TOKENS.reset();
        oauth = UUID.randomUUID().toString();
        session = UUID.randomUUID().toString();
        world.oauthAccount(oauth, 10, "sk-ant-oat01-valid", "sk-ant-ort01-valid",
                System.currentTimeMillis() + 3_600_000, Map.of("scopes", "user:inference"));
        console = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        key = world.key(Map.of());
        reloadAccounts();
    }

    @AfterEach
    void removeAccounts() {
        redis.flush();
        relaySettings.forget();
    }

    void enable(String extra) {
        relayConfig("{\"globalSessionBindingEnabled\":true" + extra + "}");
    }

    String userId() {
        return "user_" + "ab".repeat(32) + "_account__session_" + session;
    }

    /** A fresh Claude Code turn: one message and tools. */
    String freshTurn() {
        return turn("[{\"role\":\"user\",\"content\":\"hi\"}]");
    }

    /** A session that carries history. */
    String withHistory() {
        return turn("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"},"
                + "{\"role\":\"user\",\"content\":\"c\"}]");
    }

    String turn(String messages) {
        return "{\"model\":\"" + RelayFlow.MODEL + "\",\"max_tokens\":64,\"messages\":" + messages
                + ",\"tools\":[{\"name\":\"t\",\"input_schema\":{\"type\":\"object\"}}],\"metadata\":{\"user_id\":\""
                + userId() + "\"}}";
    }

    String bindingKey() {
        return "original_session_binding:" + session;
    }

    void bind(String accountId, String type) {
        redis.call("SET", bindingKey(), new JsonObject().put("accountId", accountId).put("accountType", type)
                .put("createdAt", "2026-11-23T07:21:40.806Z").put("lastUsedAt", "2026-11-23T07:21:40.806Z").encode(),
                "EX", "600");
    }

    static void assertBindingError(Response response, int status, String message) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals(new JsonObject().put("error", new JsonObject().put("type", "session_binding_error")
                .put("message", message)), new JsonObject(response.asString()));
    }

    @Test
    void offByDefaultNothingIsBound() {
        assertEquals(200, post("/api/v1/messages", key.raw(), withHistory()).statusCode());

        assertNull(string(redis, bindingKey()));
        assertEquals(1, API.requests().size());
    }

    @Test
    void aNewSessionOnAnOAuthAccountIsBoundAsTheLegacyWritesIt() {
        enable(",\"sessionBindingTtlDays\":2");
        long before = Instant.now().toEpochMilli();

        assertEquals(200, post("/api/v1/messages", key.raw(), freshTurn()).statusCode());

        JsonObject binding = new JsonObject(string(redis, bindingKey()));
        assertEquals(List.of("accountId", "accountType", "createdAt", "lastUsedAt"),
                List.copyOf(binding.fieldNames()));
        assertEquals(oauth, binding.getString("accountId"));
        assertEquals("claude-official", binding.getString("accountType"));
        assertEquals(binding.getString("createdAt"), binding.getString("lastUsedAt"));
        assertTrue(Instant.parse(binding.getString("createdAt")).toEpochMilli() >= before - 1000);
        long ttl = RelayFlow.ttl(redis, bindingKey());
        assertTrue(ttl > 2 * 86_400 - 10 && ttl <= 2 * 86_400, "ttl " + ttl);
    }

    @Test
    void aBoundSessionGoesToItsAccountAndTheBindingIsTouched() {
        enable("");
        redis.call("HSET", "claude:account:" + oauth, "priority", "90");
        reloadAccounts();
        bind(oauth, "claude-official");

        assertEquals(200, post("/api/v1/messages", key.raw(), withHistory()).statusCode());

        assertEquals(1, API.requests().size(), "the bound account, though the Console account comes first");
        assertEquals(0, upstream.requests().size());
        JsonObject binding = new JsonObject(string(redis, bindingKey()));
        assertEquals("2026-11-23T07:21:40.806Z", binding.getString("createdAt"));
        assertNotEquals("2026-11-23T07:21:40.806Z", binding.getString("lastUsedAt"));
        long ttl = RelayFlow.ttl(redis, bindingKey());
        assertTrue(ttl > 30 * 86_400 - 10, "renewed to the default 30 days: " + ttl);
    }

    @Test
    void aBoundSessionIsNotMovedToAnotherAccountWhenItsAccountFails() {
        enable("");
        bind(oauth, "claude-official");
        API.nextReplies(dev.relay.fake.Reply.status(500));

        Response answer = post("/api/v1/messages", key.raw(), freshTurn());

        assertEquals(500, answer.statusCode(), answer.asString());
        assertEquals(1, API.requests().size());
        assertEquals(0, upstream.requests().size(), "the Console account never sees the bound session");
    }

    @Test
    void aBoundAccountInErrorIsRefusedWith403AndTheConfiguredMessage() {
        enable(",\"sessionBindingErrorMessage\":\"start a new session\"");
        redis.call("HSET", "claude:account:" + oauth, "status", "error");
        reloadAccounts();
        bind(oauth, "claude-official");

        assertBindingError(post("/api/v1/messages", key.raw(), freshTurn()), 403, "start a new session");

        assertEquals(0, API.requests().size() + upstream.requests().size());
        assertTrue(new JsonObject(string(redis, bindingKey())).getString("lastUsedAt").startsWith("2026-11-23"),
                "an invalid binding is not touched");
    }

    @Test
    void aBoundAccountThatIsRateLimitedIsRefusedNotReplaced() {
        enable("");
        redis.call("HSET", "claude:account:" + oauth, "rateLimitStatus", "limited", "rateLimitedAt",
                Instant.now().toString(), "rateLimitEndAt", Instant.now().plusSeconds(3600).toString(),
                "rateLimitAutoStopped", "true", "schedulable", "false");
        reloadAccounts();
        bind(oauth, "claude-official");

        assertBindingError(post("/api/v1/messages", key.raw(), freshTurn()), 403, DEFAULT_MESSAGE);
        assertEquals(0, upstream.requests().size(), "no other account takes a bound session");
    }

    @Test
    void aMissingBoundAccountIsRefused() {
        enable("");
        bind(UUID.randomUUID().toString(), "claude-official");

        assertBindingError(post("/api/v1/messages", key.raw(), freshTurn()), 403, DEFAULT_MESSAGE);
    }

    @Test
    void aNewSessionWithHistoryOnAnOAuthAccountIsRefusedWith400AndItsSlotFreed() {
        enable("");
        redis.call("HSET", "claude:account:" + oauth, "maxConcurrency", "1");
        reloadAccounts();

        assertBindingError(post("/api/v1/messages", key.raw(), withHistory()), 400, DEFAULT_MESSAGE);

        assertNull(string(redis, bindingKey()));
        assertEquals(0, API.requests().size());
        assertEquals(0L, redis.call("ZCARD", "concurrency:claude_account:" + oauth).toLong(), "the lease is back");
        session = UUID.randomUUID().toString();
        assertEquals(200, post("/api/v1/messages", key.raw(), freshTurn()).statusCode());
        assertEquals(1, API.requests().size());
    }

    @Test
    void aSessionWithHistoryOnAConsoleAccountIsServedAndNotBound() {
        enable("");
        redis.call("HSET", "claude:account:" + oauth, "priority", "90");
        reloadAccounts();

        assertEquals(200, post("/api/v1/messages", key.raw(), withHistory()).statusCode());

        assertEquals(1, upstream.requests().size());
        assertNull(string(redis, bindingKey()), "only OAuth picks are bound");
    }

    @Test
    void aBindingToAnotherAccountTypeIsIgnored() {
        enable("");
        bind(console, "claude-console");

        assertEquals(200, post("/api/v1/messages", key.raw(), withHistory()).statusCode());

        assertEquals(1, API.requests().size(), "scheduled as usual: OAuth by priority");
        assertTrue(new JsonObject(string(redis, bindingKey())).getString("lastUsedAt").startsWith("2026-11-23"));
    }

    @Test
    void countTokensRefusesWith400AndBindsNothing() {
        enable("");
        assertBindingError(post("/api/v1/messages/count_tokens", key.raw(), withHistory()), 400, DEFAULT_MESSAGE);

        redis.call("HSET", "claude:account:" + oauth, "isActive", "false");
        reloadAccounts();
        bind(oauth, "claude-official");
        assertBindingError(post("/api/v1/messages/count_tokens", key.raw(), freshTurn()), 400, DEFAULT_MESSAGE);
        assertEquals(0, API.requests().size() + upstream.requests().size());
    }
}
