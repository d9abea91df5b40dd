package dev.relay.testsupport;

import static dev.relay.testsupport.FixtureRedis.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FixtureRedisTest {
    TestRedis redis;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void loadsEveryTypeWithValuesAndTtls() {
        FixtureRedis.load(redis, fixture("03-groups", "redis.json"), fixture("03-groups", "redis-relay.json"));
        JsonNode relay = FixtureRedis.read(fixture("03-groups", "redis-relay.json"));
        int checked = 0;
        for (var it = relay.path("added").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            check(e.getKey(), e.getValue());
            checked++;
        }
        for (var it = relay.path("changed").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            check(e.getKey(), e.getValue().path("after"));
            checked++;
        }
        assertTrue(checked > 30);
        assertEquals("zset", redis.call("TYPE", "cost_rank:all").toString());
    }

    private void check(String key, JsonNode entry) {
        String type = entry.path("type").asText();
        assertEquals(type, redis.call("TYPE", key).toString(), key);
        long ttl = entry.path("ttl_ms").asLong();
        long actual = redis.call("PTTL", key).toLong();
        if (ttl < 0) {
            assertEquals(-1, actual, key);
        } else {
            assertTrue(actual > ttl - 60_000 && actual <= ttl, key + " " + actual);
        }
        JsonNode value = entry.path("value");
        switch (type) {
            case "string" -> assertEquals(value.asText(), redis.call("GET", key).toString(), key);
            case "hash" -> assertEquals(value.size(), redis.call("HLEN", key).toLong(), key);
            case "list" -> {
                assertEquals(value.size(), redis.call("LLEN", key).toLong(), key);
                assertEquals(value.get(0).asText(), redis.call("LINDEX", key, "0").toString(), key);
            }
            case "set" -> assertEquals(value.size(), redis.call("SCARD", key).toLong(), key);
            case "zset" -> {
                assertEquals(value.size(), redis.call("ZCARD", key).toLong(), key);
                JsonNode first = value.get(0);
                assertEquals(first.get(1).asDouble(),
                        Double.parseDouble(redis.call("ZSCORE", key, first.get(0).asText()).toString()), key);
            }
            case "stream" -> {
                assertEquals(value.size(), redis.call("XLEN", key).toLong(), key);
                String lastId = value.get(value.size() - 1).get(0).asText();
                assertEquals(lastId, redis.call("XREVRANGE", key, "+", "-", "COUNT", "1").get(0).get(0).toString());
            }
            default -> throw new AssertionError(type);
        }
    }
}
