package dev.relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.RecordedRequest;
import dev.relay.fake.Reply;
import dev.relay.testsupport.TestRedis;
import dev.relay.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The benchmark's own parts, each against the real thing: the fake upstream, an embedded Redis, the fixtures. */
class BenchHarnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("..", "shared", "legacy", "fixtures");

    @Test
    void percentilesUseNearestRank() {
        LatencySamples s = new LatencySamples();
        for (long v = 100; v >= 1; v--) {
            s.add(v);
        }
        assertEquals(50, s.percentile(50));
        assertEquals(99, s.percentile(99));
        assertEquals(100, s.max());
        assertEquals(50.5, s.mean());
        assertEquals(0, new LatencySamples().percentile(50));
    }

    @Test
    void apiKeyHashIsTheLegacyHash() throws Exception {
        // redis-keys.md §1.5 test vector
        assertEquals("ed2cbdb470e2c5cf28c4338b11394e66263b509bf1b3a3f89b373ddf736bdf58",
                dev.relay.store.ApiKeyHasher.hash("cr_" + "0".repeat(64), "CHANGE-THIS-32-CHARACTER-KEY-NOW"));
        // fixture 01: the minimal key's plaintext and its stored hash
        String raw = JSON.readTree(Files.readString(FIXTURES.resolve("01-api-key-full/secrets.json")))
                .get("apikey:d26f6426-0cde-4a78-a135-8a92b4355c28").get("apiKey").get("plaintext").asText();
        assertEquals("c8a389be0bdcaeb1f9e87bbd5740a8d502892c5f0dd7c5218f6382597076f79f",
                dev.relay.store.ApiKeyHasher.hash(raw, TestServices.FIXTURE_ENCRYPTION_KEY));
    }

    @Test
    void seedWritesTheLegacyFieldSetsIndexesAndTtl() throws Exception {
        try (TestRedis redis = new TestRedis().flush()) {
            LegacySeed.write(redis.api, "k".repeat(32), "http://127.0.0.1:1", "2026-11-23");

            String hash = dev.relay.store.ApiKeyHasher.hash(LegacySeed.RAW_KEY, "k".repeat(32));
            assertEquals(LegacySeed.KEY_ID, redis.call("HGET", "apikey:hash_map", hash).toString());
            Map<String, String> key = hgetall(redis, "apikey:" + LegacySeed.KEY_ID);
            assertEquals(fixtureFields("01-api-key-full/redis-create-minimal.json", "apikey:d26f6426"), key.keySet());
            assertEquals(hash, key.get("apiKey"));
            assertEquals("true", key.get("isActive"));
            long ttl = redis.call("TTL", "apikey:" + LegacySeed.KEY_ID).toLong();
            assertTrue(ttl > LegacySeed.API_KEY_TTL_SECONDS - 60 && ttl <= LegacySeed.API_KEY_TTL_SECONDS, "ttl " + ttl);

            Map<String, String> account = hgetall(redis, "claude_console_account:" + LegacySeed.ACCOUNT_ID);
            assertEquals(fixtureFields("02-accounts/redis-claude-console.json", "claude_console_account:"),
                    account.keySet());
            assertEquals("http://127.0.0.1:1", account.get("apiUrl"));
            assertEquals(LegacySeed.CONSOLE_API_KEY, account.get("apiKey"));
            assertEquals("shared", account.get("accountType"));
            assertEquals(1L, redis.call("SISMEMBER", "shared_claude_console_accounts", LegacySeed.ACCOUNT_ID).toLong());
            assertEquals(-1L, redis.call("TTL", "claude_console_account:" + LegacySeed.ACCOUNT_ID).toLong());
        }
    }

    @Test
    void commandStatsCountCallsWithoutInfoAndSeeNewCommands() throws Exception {
        String info = "# Commandstats\r\ncmdstat_hget:calls=7,usec=10,usec_per_call=1.43\r\n"
                + "cmdstat_info:calls=100,usec=1\r\ncmdstat_evalsha:calls=3,usec=9\r\n";
        assertEquals(10, RedisCommandStats.commandCalls(info));
        assertEquals(42, RedisCommandStats.field("# Stats\r\ntotal_reads_processed:42\r\n", "total_reads_processed"));

        try (TestRedis redis = new TestRedis().flush()) {
            RedisCommandStats before = RedisCommandStats.read(redis.api);
            redis.call("SET", "bench:probe", "1");
            redis.call("GET", "bench:probe");
            RedisCommandStats delta = RedisCommandStats.read(redis.api).minus(before);
            assertEquals(2, delta.commands());
            assertTrue(delta.reads() >= 2, "reads " + delta.reads());
        }
    }

    @Test
    void loadGeneratorMeasuresOnlyAfterWarmupAndCountsWhatTheUpstreamSaw() throws Exception {
        try (FakeAnthropic fake = new FakeAnthropic(); LoadGenerator load = new LoadGenerator(1)) {
            fake.start();
            LoadSpec spec = new LoadSpec("direct stream", "127.0.0.1", fake.port(), RelayBenchmark.UPSTREAM_PATH,
                    RelayBenchmark.upstreamHeaders(), RelayBenchmark.requestBody(true), true, 4,
                    Duration.ofMillis(300), Duration.ofSeconds(1));

            // a window counts only requests started inside it: on a starved machine one run's window can pass
            // while its first requests are still in flight, so run phases until one has measured something
            LoadResult r = load.run(spec);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (r.completed() == 0 && r.errors() == 0 && System.nanoTime() < deadline) {
                r = load.run(spec);
            }

            assertTrue(r.finished());
            assertEquals(0, r.errors(), r.firstError());
            assertTrue(r.completed() > 0, "completed " + r.completed());
            assertTrue(fake.requestCount() > r.completed(), "warm-up requests are sent but not measured");
            assertTrue(r.p50() > 0 && r.p50() <= r.p99() && r.p99() <= r.max());
            RecordedRequest seen = fake.lastRequest();
            assertEquals("/v1/messages?beta=true", seen.uri());
            assertEquals(LegacySeed.CONSOLE_API_KEY, seen.header("x-api-key"));
            assertTrue(seen.json().get("stream").asBoolean());
            assertEquals("Accept", seen.headerNames().get(0));
        }
    }

    @Test
    void openLoopSendsOnScheduleAndCountsQueueingInTheLatency() throws Exception {
        try (FakeAnthropic fake = new FakeAnthropic(); LoadGenerator load = new LoadGenerator(1)) {
            fake.start();
            LoadSpec spec = new LoadSpec("direct non-stream", "127.0.0.1", fake.port(), RelayBenchmark.UPSTREAM_PATH,
                    RelayBenchmark.upstreamHeaders(), RelayBenchmark.requestBody(false), false, 4,
                    Duration.ofMillis(200), Duration.ofSeconds(2)).atRate(300);
            LoadResult fast = load.run(spec);
            // 300/s for 2 s measured: the schedule, not the answers, decides how many are sent
            assertTrue(fast.completed() >= 570 && fast.completed() <= 630, "completed " + fast.completed());
            assertEquals(0, fast.errors());

            // answers slower than the schedule (2 connections, 50 ms each = at most 40/s for 100/s asked): requests
            // queue, and their wait counts in the latency (a closed loop would hide it)
            fake.defaultReply(Reply.ok().delayMs(50));
            LoadResult slow = load.run(new LoadSpec("slow", "127.0.0.1", fake.port(), RelayBenchmark.UPSTREAM_PATH,
                    RelayBenchmark.upstreamHeaders(), RelayBenchmark.requestBody(false), false, 2, Duration.ZERO,
                    Duration.ofSeconds(1)).atRate(100));
            assertEquals(100, slow.completed() + slow.errors());
            assertTrue(slow.p99() > 500_000_000L, "p99 " + slow.p99() / 1e6 + " ms includes the queueing");
        }
    }

    @Test
    void loadGeneratorCountsErrorAnswersAndCutStreams() throws Exception {
        try (FakeAnthropic fake = new FakeAnthropic(); LoadGenerator load = new LoadGenerator(1)) {
            fake.start();
            fake.defaultReply(Reply.status(529));
            LoadResult overloaded = load.run(new LoadSpec("x", "127.0.0.1", fake.port(), "/v1/messages", Map.of(),
                    RelayBenchmark.requestBody(false), false, 2, Duration.ZERO, Duration.ofMillis(300)));
            assertEquals(0, overloaded.completed());
            assertTrue(overloaded.errors() > 0);
            assertTrue(overloaded.firstError().startsWith("status 529"), overloaded.firstError());

            fake.defaultReply(Reply.ok().cutAfter(3));
            LoadResult cut = load.run(new LoadSpec("y", "127.0.0.1", fake.port(), "/v1/messages", Map.of(),
                    RelayBenchmark.requestBody(true), true, 2, Duration.ZERO, Duration.ofMillis(300)));
            assertEquals(0, cut.completed());
            assertTrue(cut.errors() > 0);
            assertTrue(cut.firstError().startsWith("exception"), cut.firstError());
        }
    }

    private static Map<String, String> hgetall(TestRedis redis, String key) {
        Map<String, String> out = new HashMap<>();
        var response = redis.call("HGETALL", key);
        for (String field : response.getKeys()) {
            out.put(field, response.get(field).toString());
        }
        return out;
    }

    /** Field names of the one added hash whose key starts with the prefix in a snap.py diff. */
    private static Set<String> fixtureFields(String file, String keyPrefix) throws Exception {
        JsonNode added = JSON.readTree(Files.readString(FIXTURES.resolve(file))).get("added");
        for (Iterator<String> it = added.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.startsWith(keyPrefix)) {
                Set<String> names = new TreeSet<>();
                added.get(key).get("value").fieldNames().forEachRemaining(names::add);
                return names;
            }
        }
        throw new AssertionError("no " + keyPrefix + " in " + file);
    }
}
