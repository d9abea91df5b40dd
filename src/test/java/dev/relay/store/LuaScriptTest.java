package dev.relay.store;

import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LuaScriptTest {
    private TestRedis redis;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        redis.call("SCRIPT", "FLUSH");
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void everyScriptStartsWithItsKeysAndArgvComment() {
        for (String name : List.of("lease_acquire.lua", "lease_refresh.lua", "lease_release.lua", "lease_count.lua",
                "queue_enter.lua", "queue_leave.lua", "queue_stat.lua", "queue_wait_sample.lua",
                "compare_and_delete.lua", "rate_window_check.lua", "console_account_rate_limited.lua",
                "console_account_unauthorized.lua", "console_account_overloaded.lua",
                "console_account_succeeded.lua", "lease_sweep.lua", "apikey_lookup.lua", "apikey_activate.lua")) {
            String source = LuaScript.fromClasspath(name).source();
            assertTrue(source.startsWith("--"), name);
            String header = source.substring(0, source.indexOf("\n\n") > 0 ? source.indexOf("\n\n") : source.length());
            assertTrue(header.contains("KEYS[1]") && header.contains("ARGV"), name + " header states KEYS/ARGV");
        }
    }

    @Test
    void sha1IsTheIdRedisGivesTheScript() {
        LuaScript script = LuaScript.fromClasspath("lease_count.lua");
        assertEquals(redis.call("SCRIPT", "LOAD", script.source()).toString(), script.sha1());
    }

    @Test
    void fallsBackToEvalOnNoScriptAndCachesTheScriptAgain() {
        LuaScript script = LuaScript.fromClasspath("queue_enter.lua");
        assertEquals(0, redis.call("SCRIPT", "EXISTS", script.sha1()).get(0).toLong());
        // A bare EVALSHA fails now: this is the situation after a Redis restart or SCRIPT FLUSH.
        assertThrows(AssertionError.class, () -> await(redis.store.send(script.evalShaRequest(List.of("q"), List.of("40")))));

        assertEquals(1, await(script.call(redis.store, List.of("q"), List.of("40"))).toLong());
        assertEquals(1, redis.call("SCRIPT", "EXISTS", script.sha1()).get(0).toLong());
        assertEquals(2, await(script.call(redis.store, List.of("q"), List.of("40"))).toLong());

        redis.call("SCRIPT", "FLUSH");
        assertEquals(3, await(script.call(redis.store, List.of("q"), List.of("40"))).toLong());
    }

    @Test
    void evalRequestRunsInsideAPipelineEvenWhenTheCacheIsEmpty() {
        LuaScript script = LuaScript.fromClasspath("queue_enter.lua");
        List<Response> replies = await(redis.store.batch(List.of(
                Request.cmd(Command.SET).arg("other").arg("x"),
                script.evalRequest(List.of("q"), List.of("40")),
                script.evalRequest(List.of("q"), List.of("40")))));
        assertEquals(2, replies.get(2).toLong());
        assertEquals(40, redis.call("TTL", "q").toLong());
    }

    @Test
    void scriptErrorsOtherThanNoScriptAreNotRetried() {
        LuaScript script = LuaScript.fromClasspath("queue_enter.lua");
        redis.call("SET", "q", "not-a-number");
        assertThrows(AssertionError.class, () -> await(script.call(redis.store, List.of("q"), List.of("40"))));
        assertEquals("not-a-number", RedisReads.string(redis, "q"));
    }
}
