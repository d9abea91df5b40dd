package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.body;
import static dev.relay.gateway.RelayFlow.keyOf;
import static dev.relay.gateway.RelayFlow.post;
import static dev.relay.gateway.RelayFlow.servedBy;
import static dev.relay.gateway.RelayFlow.string;
import static dev.relay.gateway.RelayFlow.ttl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testsupport.RedisMonitor;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sticky sessions through the gateway (relay.md §4.1, §4.2 step 6/10; fixture 07). */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class StickySessionTest extends RelayTestBase {
    static final Path FIXTURE = Path.of("..", "shared", "legacy", "fixtures", "07-sticky-session");
    static final String MAPPING = "unified_claude_session_mapping:";

    RelayWorld.SeededKey key;

    @BeforeEach
    void seedKey() {
        key = world.key(Map.of());
    }

    static String legacyUserId(String session) {
        return "user_" + "f1".repeat(32) + "_account__session_" + session;
    }

    static String jsonUserId(String session) {
        return "{\"device_id\":\"" + "ab".repeat(32) + "\",\"account_uuid\":\"\",\"session_id\":\"" + session + "\"}";
    }

    @Test
    void legacyUserIdCreatesTheMappingOfFixture07AndKeepsTheSessionOnItsAccount() throws Exception {
        String session = UUID.randomUUID().toString();
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        post("/api/v1/messages?beta=true", key.raw(), body(false, "first", legacyUserId(session)))
                .then().statusCode(200);

        JsonNode snapshot = new ObjectMapper().readTree(FIXTURE.resolve("redis-first.json").toFile());
        String fixtureSession = "19ed6aff-8fd1-4488-aee2-3267690cd00d";
        String fixtureAccount = "d09be248-12ea-4668-bc07-7acdf40463d6";
        JsonNode expected = snapshot.get("added").get(MAPPING + fixtureSession);
        assertEquals(expected.get("value").asText().replace(fixtureAccount, first), string(redis, MAPPING + session));
        long ttl = ttl(redis, MAPPING + session);
        long fixtureTtl = expected.get("ttl_ms").asLong() / 1000;
        assertTrue(ttl <= 3600 && Math.abs(ttl - fixtureTtl) <= 5, "TTL " + ttl + " vs fixture " + fixtureTtl);

        // an account that wins the pool appears after the mapping was written
        String better = world.consoleAccount(upstream.baseUrl(), 1, Map.of());
        reloadAccounts();
        post("/api/v1/messages", key.raw(), body(false, "second", legacyUserId(session))).then().statusCode(200);
        assertEquals(keyOf(first), servedBy(upstream, 1), "the session stays on its account");
        assertTrue(ttl(redis, MAPPING + session) <= ttl, "TTL not re-armed above the renewal threshold");

        // without the session the better account really is the pool's choice
        post("/api/v1/messages", key.raw(), body(false, "other conversation", null)).then().statusCode(200);
        assertEquals(keyOf(better), servedBy(upstream, 2));
    }

    /**
     * The legacy's sticky check consults no {@code temp_unavailable} mark (relay.md §4.2 step 6, its quirk): a
     * failing account's mapping is dropped by the failover loop instead, and reading the mark would cost every
     * sticky request a round trip.
     */
    @Test
    void aStickyAccountIsReusedWithoutReadingItsTemporaryMark() {
        String session = UUID.randomUUID().toString();
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        post("/api/v1/messages", key.raw(), body(false, "first", legacyUserId(session))).then().statusCode(200);
        String better = world.consoleAccount(upstream.baseUrl(), 1, Map.of());
        redis.call("SET", "temp_unavailable:claude-console:" + first, "1", "EX", "300");
        reloadAccounts();

        post("/api/v1/messages", key.raw(), body(false, "second", legacyUserId(session))).then().statusCode(200);

        assertEquals(keyOf(first), servedBy(upstream, 1), "the session stays on its account, as with the legacy");
        post("/api/v1/messages", key.raw(), body(false, "other conversation", null)).then().statusCode(200);
        assertEquals(keyOf(better), servedBy(upstream, 2), "without the session the pool chooses");
    }

    @Test
    void theMappingIsReadWhileTheKeyIsAuthenticatedNotAfter() throws Exception {
        String session = UUID.randomUUID().toString();
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        try (RedisMonitor monitor = new RedisMonitor()) {
            // a refused key shows it: the read went out before the key's verdict came back (it saves the request
            // path one round trip), and nothing is written for the refused request
            post("/api/v1/messages", "cr_" + "0".repeat(64), body(false, "refused", legacyUserId(session)))
                    .then().statusCode(401);
            List<String> commands = monitor.commandsBefore(redis);
            assertTrue(commands.contains("\"get\" \"" + MAPPING + session + "\""), commands.toString());
            assertTrue(commands.stream().noneMatch(c -> c.contains(MAPPING) && !c.startsWith("\"get\"")),
                    commands.toString());
        }
        assertEquals(0, redis.call("EXISTS", MAPPING + session).toLong());
    }

    @Test
    void jsonUserIdOfNewerClaudeCodeIsStickyByItsSessionId() {
        String session = UUID.randomUUID().toString();
        String first = world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();

        post("/api/v1/messages", key.raw(), body(false, "first", jsonUserId(session))).then().statusCode(200);

        assertEquals("{\"accountId\":\"" + first + "\",\"accountType\":\"claude-console\"}",
                string(redis, MAPPING + session));
        long ttl = ttl(redis, MAPPING + session);
        assertTrue(ttl > 3590 && ttl <= 3600, "TTL " + ttl);

        world.consoleAccount(upstream.baseUrl(), 1, Map.of());
        reloadAccounts();
        post("/api/v1/messages", key.raw(), body(true, "second", jsonUserId(session))).then().statusCode(200);
        assertEquals(keyOf(first), servedBy(upstream, 1));
    }

    @Test
    void mappingToAnUnusableAccountIsDeletedAndReplaced() {
        String session = UUID.randomUUID().toString();
        String stopped = world.consoleAccount(upstream.baseUrl(), 1, Map.of("schedulable", "false"));
        String working = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        redis.call("SETEX", MAPPING + session, "3600",
                "{\"accountId\":\"" + stopped + "\",\"accountType\":\"claude-console\"}");

        post("/api/v1/messages", key.raw(), body(false, "hello", legacyUserId(session))).then().statusCode(200);

        assertEquals(1, upstream.requests().size());
        assertEquals(keyOf(working), servedBy(upstream, 0));
        assertEquals("{\"accountId\":\"" + working + "\",\"accountType\":\"claude-console\"}",
                string(redis, MAPPING + session));
    }

    @Test
    void mappingToAVanishedAccountIsReplaced() {
        String session = UUID.randomUUID().toString();
        String working = world.consoleAccount(upstream.baseUrl(), 20, Map.of());
        reloadAccounts();
        String gone = UUID.randomUUID().toString();
        redis.call("SETEX", MAPPING + session, "120",
                "{\"accountId\":\"" + gone + "\",\"accountType\":\"claude-console\"}");

        post("/api/v1/messages", key.raw(), body(false, "hello", legacyUserId(session))).then().statusCode(200);

        assertEquals(keyOf(working), servedBy(upstream, 0));
        assertEquals("{\"accountId\":\"" + working + "\",\"accountType\":\"claude-console\"}",
                string(redis, MAPPING + session));
        assertTrue(ttl(redis, MAPPING + session) > 3590, "a fresh mapping with the full TTL");
    }
}
