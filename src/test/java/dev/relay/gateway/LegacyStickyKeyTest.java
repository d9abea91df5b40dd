package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.keyOf;
import static dev.relay.gateway.RelayFlow.post;
import static dev.relay.gateway.RelayFlow.servedBy;
import static dev.relay.gateway.RelayFlow.string;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One conversation, one account, whichever service serves the turn: the legacy keys a Claude Code ≥ 2.1.78
 * conversation (JSON {@code metadata.user_id}) by its content hash, relay by its {@code session_id}; relay writes and
 * honours both keys (redis-keys.md §2.7; the test vector {@code 96bf182b…} is the legacy's key for this system
 * prompt).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class LegacyStickyKeyTest extends RelayTestBase {
    static final String MAPPING = "unified_claude_session_mapping:";
    /** redis-keys.md §2.7 test vector: system [{"text":"SYS", ephemeral}] and no cache-marked message. */
    static final String LEGACY_KEY = "96bf182b2c5d7516a2d884a8250f7922";

    RelayWorld.SeededKey key;
    String session;

    @BeforeEach
    void seed() {
        key = world.key(Map.of());
        session = UUID.randomUUID().toString();
    }

    String body() {
        String userId = "{\"device_id\":\"" + "ab".repeat(32) + "\",\"account_uuid\":\"\",\"session_id\":\"" + session
                + "\"}";
        return "{\"model\":\"" + RelayFlow.MODEL + "\",\"max_tokens\":64,\"system\":[{\"type\":\"text\",\"text\":\"SYS\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"metadata\":{\"user_id\":" + RelayFlow.quote(userId) + "}}";
    }

    @Test
    void aNewConversationIsMappedUnderBothKeys() {
        String account = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        assertEquals(200, post("/api/v1/messages", key.raw(), body()).statusCode());

        String expected = "{\"accountId\":\"" + account + "\",\"accountType\":\"claude-console\"}";
        assertEquals(expected, string(redis, MAPPING + session));
        assertEquals(expected, string(redis, MAPPING + LEGACY_KEY));
    }

    @Test
    void aConversationTheLegacyStartedStaysOnTheLegacysAccount() {
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        String legacyChoice = world.consoleAccount(upstream.baseUrl(), 50, Map.of());
        reloadAccounts();
        String mapping = "{\"accountId\":\"" + legacyChoice + "\",\"accountType\":\"claude-console\"}";
        redis.call("SETEX", MAPPING + LEGACY_KEY, "3600", mapping);

        assertEquals(200, post("/api/v1/messages", key.raw(), body()).statusCode());

        assertEquals(keyOf(legacyChoice), servedBy(upstream, 0));
        assertEquals(mapping, string(redis, MAPPING + session), "relay's own key joins the conversation");
    }
}
