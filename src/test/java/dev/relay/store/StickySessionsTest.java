package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.TestRedis;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StickySessionsTest {
    private static final String SESSION = "19ed6aff-8fd1-4488-aee2-3267690cd00d";
    private static final String KEY = "unified_claude_session_mapping:" + SESSION;
    private static final String CONSOLE_ID = "d09be248-12ea-4668-bc07-7acdf40463d6";

    private TestRedis redis;
    private StickySessions sessions;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        sessions = new StickySessions(redis.store);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void writesTheFixtureValueByteForByteWithAnHourTtl() {
        JsonNode first = LegacyFixtures.added(LegacyFixtures.load("07-sticky-session", "redis-first.json"), KEY);
        await(sessions.set(SESSION, CONSOLE_ID, "claude-console", StickySessions.ttlSeconds(1)));
        assertEquals(first.path("value").asText(), RedisReads.string(redis, KEY));
        assertEquals(3600, redis.call("TTL", KEY).toLong());
        assertEquals(Optional.of(new SessionMapping(CONSOLE_ID, "claude-console")), await(sessions.get(SESSION)));
    }

    @Test
    void ttlIsFlooredAndAtLeastOneSecond() {
        assertEquals(3600, StickySessions.ttlSeconds(1));
        assertEquals(5400, StickySessions.ttlSeconds(1.5));
        assertEquals(1, StickySessions.ttlSeconds(0.0001));
        assertEquals(1, StickySessions.ttlSeconds(0));
    }

    @Test
    void noRenewalAboveTheThresholdAndFullRenewalBelowIt() {
        await(sessions.set(SESSION, CONSOLE_ID, "claude-console", 3600));
        redis.call("EXPIRE", KEY, "3594");
        // fixture 07 second request: 3594 s left, threshold 15 min -> untouched
        assertFalse(await(sessions.renewIfBelow(SESSION, 3600, 15)));
        assertEquals(3594, redis.call("TTL", KEY).toLong());
        assertFalse(await(sessions.renewIfBelow(SESSION, 3600, 0)), "threshold 0 never renews");

        // fixture 07 third request: the driver cut the TTL to 600 s -> re-armed to the full hour
        redis.call("PEXPIRE", KEY, "600000");
        assertTrue(await(sessions.renewIfBelow(SESSION, 3600, 15)));
        assertEquals(3600, redis.call("TTL", KEY).toLong());

        redis.call("EXPIRE", KEY, "900");
        assertFalse(await(sessions.renewIfBelow(SESSION, 3600, 15)), "exactly the threshold is not below it");
    }

    @Test
    void missingOrPersistentMappingsAreNotRenewed() {
        assertFalse(await(sessions.renewIfBelow(SESSION, 3600, 15)));
        assertFalse(RedisReads.exists(redis, KEY));
        redis.call("SET", KEY, "{\"accountId\":\"a\",\"accountType\":\"ccr\"}");
        assertFalse(await(sessions.renewIfBelow(SESSION, 3600, 15)));
        assertEquals(-1, redis.call("TTL", KEY).toLong());
    }

    @Test
    void toleratesBareIdsAndTheGoProxyShape() {
        redis.call("SET", KEY, CONSOLE_ID);
        assertEquals(Optional.of(new SessionMapping(CONSOLE_ID, null)), await(sessions.get(SESSION)));
        redis.call("SET", KEY, "{\"sessionHash\":\"" + SESSION + "\",\"accountId\":\"x1\",\"accountType\":\"unknown\"}");
        assertEquals(Optional.of(new SessionMapping("x1", null)), await(sessions.get(SESSION)));
        redis.call("SET", KEY, "{broken");
        assertEquals(Optional.empty(), await(sessions.get(SESSION)));
        assertEquals(Optional.empty(), await(sessions.get("absent")));
    }

    @Test
    void familiesUseTheirOwnPrefixesAndDeleteRemovesTheMapping() {
        await(sessions.set(StickySessions.Family.OPENAI, "h", "o1", "openai-responses", 60));
        await(sessions.set(StickySessions.Family.GEMINI, "h", "g1", "gemini-api", 60));
        assertEquals("{\"accountId\":\"o1\",\"accountType\":\"openai-responses\"}",
                RedisReads.string(redis, "unified_openai_session_mapping:h"));
        assertEquals(Optional.of(new SessionMapping("g1", "gemini-api")),
                await(sessions.get(StickySessions.Family.GEMINI, "h")));
        assertEquals(Optional.empty(), await(sessions.get("h")));

        await(sessions.set(SESSION, CONSOLE_ID, "claude-console", 60));
        await(sessions.delete(SESSION));
        assertFalse(RedisReads.exists(redis, KEY));
        assertTrue(RedisReads.exists(redis, "unified_openai_session_mapping:h"));
    }
}
