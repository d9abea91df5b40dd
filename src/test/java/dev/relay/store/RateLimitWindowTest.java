package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.ManualClock;
import dev.relay.testsupport.TestRedis;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitWindowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode HTTP = LegacyFixtures.load("09-auth-failures", "http.json");

    private TestRedis redis;
    private ManualClock clock;
    private RateLimitWindow window;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        clock = ManualClock.atMillis(0);
        window = new RateLimitWindow(redis.store, clock);
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void requestLimitReproducesFixture09KeysAndBody() throws Exception {
        String keyId = "a52a0cb5-35fb-4668-ba42-f4a3cea82ec6";
        RateWindowLimits limits = new RateWindowLimits(1, 1, 0, 0, false);
        JsonNode first = LegacyFixtures.load("09-auth-failures", "redis-rate-window-first.json");

        clock.set(Instant.ofEpochMilli(1795418548290L));
        RateWindowCheck admitted = await(window.check(keyId, limits));
        assertEquals(RateWindowCheck.Outcome.ADMITTED, admitted.outcome());
        assertEquals(1, admitted.requests());
        await(redis.store.batch(window.afterRequest(keyId, 4745, 0.010537)));

        for (String name : List.of("window_start", "requests", "tokens", "cost")) {
            String key = "rate_limit:" + name + ":" + keyId;
            assertEquals(LegacyFixtures.added(first, key).path("value").asText(), RedisReads.string(redis, key), key);
            long pttl = RedisReads.pttl(redis, key);
            assertTrue(pttl > 59_000 && pttl <= 60_000, key + " PX window, was " + pttl);
        }

        clock.set(Instant.parse("2026-11-23T07:22:30.045Z"));
        RateWindowCheck refused = await(window.check(keyId, limits));
        assertEquals(RateWindowCheck.Outcome.REQUEST_LIMIT, refused.outcome());
        assertEquals(fixtureBody("currentRequests"), JSON.writeValueAsString(refused.errorBody()));
        assertEquals("1", RedisReads.string(redis, "rate_limit:requests:" + keyId), "a refused request is not counted");
    }

    @Test
    void tokenLimitReproducesFixture09Body() throws Exception {
        String keyId = "40271a7e-38c5-427e-99f3-d7df67d2f8bb";
        RateWindowLimits limits = new RateWindowLimits(1, 0, 100, 0, false);
        clock.set(Instant.ofEpochMilli(1795418550804L));
        assertTrue(await(window.check(keyId, limits)).admitted());
        await(redis.store.batch(window.afterRequest(keyId, 4745, 0.010537)));

        clock.set(Instant.parse("2026-11-23T07:22:32.522Z"));
        RateWindowCheck refused = await(window.check(keyId, limits));
        assertEquals(RateWindowCheck.Outcome.TOKEN_LIMIT, refused.outcome());
        assertEquals(fixtureBody("currentTokens"), JSON.writeValueAsString(refused.errorBody()));
    }

    @Test
    void costLimitReproducesFixture09BodyAndActiveFuelLiftsIt() throws Exception {
        String keyId = "72b25593-b992-4380-a066-92b9e599c1a2";
        RateWindowLimits limits = new RateWindowLimits(1, 0, 0, 0.001, false);
        clock.set(Instant.ofEpochMilli(1795418553339L));
        assertTrue(await(window.check(keyId, limits)).admitted());
        await(redis.store.batch(window.afterRequest(keyId, 4745, 0.010537)));

        clock.set(Instant.parse("2026-11-23T07:22:35.240Z"));
        RateWindowCheck refused = await(window.check(keyId, limits));
        assertEquals(RateWindowCheck.Outcome.COST_LIMIT, refused.outcome());
        assertEquals(fixtureBody("currentCost"), JSON.writeValueAsString(refused.errorBody()));

        RateWindowCheck withFuel = await(window.check(keyId, new RateWindowLimits(1, 0, 0, 0.001, true)));
        assertTrue(withFuel.admitted());
        assertEquals(2, withFuel.requests());
    }

    @Test
    void tokenLimitTakesPrecedenceOverTheCostLimit() {
        String keyId = "k";
        RateWindowLimits limits = new RateWindowLimits(1, 0, 10_000, 0.001, false);
        clock.set(Instant.ofEpochMilli(1_000_000));
        await(window.check(keyId, limits));
        await(redis.store.batch(window.afterRequest(keyId, 5, 5.0)));
        // legacy: with tokenLimit > 0 the cost limit is never checked
        assertTrue(await(window.check(keyId, limits)).admitted());
    }

    @Test
    void anExpiredWindowStartsOverWithFourSetPx() {
        String keyId = "k";
        RateWindowLimits limits = new RateWindowLimits(2, 1, 0, 0, false);
        clock.set(Instant.ofEpochMilli(1_000_000));
        await(window.check(keyId, limits));
        await(redis.store.batch(window.afterRequest(keyId, 10, 0.5)));
        // a key written without TTL (the legacy's late INCR after expiry) must not keep the old window alive
        redis.call("PERSIST", "rate_limit:window_start:" + keyId);
        clock.advanceMillis(119_999);
        assertEquals(RateWindowCheck.Outcome.REQUEST_LIMIT, await(window.check(keyId, limits)).outcome());

        clock.advanceMillis(1);
        RateWindowCheck fresh = await(window.check(keyId, limits));
        assertTrue(fresh.admitted());
        assertEquals(1_120_000, fresh.windowStartMillis());
        assertEquals("1120000", RedisReads.string(redis, "rate_limit:window_start:" + keyId));
        assertEquals("1", RedisReads.string(redis, "rate_limit:requests:" + keyId));
        assertEquals("0", RedisReads.string(redis, "rate_limit:tokens:" + keyId));
        assertEquals("0", RedisReads.string(redis, "rate_limit:cost:" + keyId));
        long pttl = RedisReads.pttl(redis, "rate_limit:cost:" + keyId);
        assertTrue(pttl > 119_000 && pttl <= 120_000);
        assertEquals(Instant.ofEpochMilli(1_240_000), fresh.resetAt());
    }

    @Test
    void readsCountersTheWayNodeParsesThem() {
        String keyId = "k";
        clock.set(Instant.ofEpochMilli(5_000_000));
        redis.call("SET", "rate_limit:window_start:" + keyId, "4990000", "PX", "60000");
        redis.call("SET", "rate_limit:requests:" + keyId, "2", "PX", "60000");
        redis.call("SET", "rate_limit:tokens:" + keyId, "77abc", "PX", "60000");
        redis.call("SET", "rate_limit:cost:" + keyId, "1e-7", "PX", "60000");
        RateWindowCheck check = await(window.check(keyId, new RateWindowLimits(1, 2, 0, 0, false)));
        assertEquals(RateWindowCheck.Outcome.REQUEST_LIMIT, check.outcome());
        assertEquals(77, check.tokens());
        assertEquals(1e-7, check.cost());
        assertEquals(1, check.remainingMinutes());
    }

    @Test
    void afterRequestSkipsZeroAmountsAndFormatsCostLikeJavaScript() {
        assertEquals(List.of(), window.afterRequest("k", 0, 0));
        assertEquals(1, window.afterRequest("k", 0, 0.5).size());
        redis.call("SET", "rate_limit:cost:k", "0");
        await(redis.store.batch(window.afterRequest("k", 3, 1e-7)));
        assertEquals("3", RedisReads.string(redis, "rate_limit:tokens:k"));
        assertEquals(1e-7, Double.parseDouble(RedisReads.string(redis, "rate_limit:cost:k")));
    }

    @Test
    void fiftyConcurrentChecksAdmitExactlyTheLimit() {
        try (TestRedis second = new TestRedis()) {
            RateLimitWindow other = new RateLimitWindow(second.store, clock);
            clock.set(Instant.ofEpochMilli(7_000_000));
            RateWindowLimits limits = new RateWindowLimits(1, 7, 0, 0, false);
            List<Future<RateWindowCheck>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                calls.add((i % 2 == 0 ? window : other).check("k", limits));
            }
            await(Future.join(calls));
            assertEquals(7, calls.stream().filter(f -> f.result().admitted()).count());
            assertEquals("7", RedisReads.string(redis, "rate_limit:requests:k"));
            assertEquals(1, calls.stream().map(f -> f.result().windowStartMillis()).distinct().count(),
                    "one window for all");
        }
    }

    private static String fixtureBody(String distinctField) throws Exception {
        for (JsonNode exchange : HTTP) {
            JsonNode body = exchange.path("response").path("body");
            if (body.has(distinctField) && "Rate limit exceeded".equals(body.path("error").asText())) {
                return JSON.writeValueAsString(body);
            }
        }
        throw new AssertionError("no fixture body with " + distinctField);
    }
}
