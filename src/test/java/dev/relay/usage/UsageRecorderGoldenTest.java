package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.testsupport.TestRedis;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Replays the fixture requests through {@link UsageRecorder} into an empty Redis and compares every key of the
 * families it writes with the legacy's snapshot diff: added keys by value, changed keys by (after − before).
 */
class UsageRecorderGoldenTest extends CountingRecorderTestBase {
    private static final Path FIXTURES = Path.of("..", "shared", "legacy", "fixtures");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY_ID = "d26f6426-0cde-4a78-a135-8a92b4355c28";
    private static final String ACCOUNT_ID = "d09be248-12ea-4668-bc07-7acdf40463d6";
    private static final List<String> OWNED = List.of("usage:", "account_usage:", "system:metrics:", "billing:events");
    private static final long TTL_SLACK_MS = 5_000;

    @Test
    void nonStreamSonnetRequestWritesWhatTheLegacyWrote() throws IOException {
        JsonNode diff = fixture("04-relay-nonstream/redis-relay.json");
        seedApiKey(diff);
        UsageEvent event = new UsageEvent(KEY_ID, "fx-key-min", "", ACCOUNT_ID, "claude-console",
                "claude-sonnet-4-20250514", new Usage(1200, 345, 200, 3000, 150, 50, "claude-sonnet-4-20250514"),
                Instant.parse("2026-11-23T07:21:53.341Z"), false);

        RecordedUsage result = TestRedis.await(recorder.record(event));

        assertEquals(1, roundTrips.get(), "one pipelined round trip");
        assertEquals(4745, result.totalTokens());
        assertEquals(0.010537, result.totalCost());
        assertEquals(0.010537, result.billableCost());
        assertEquals(0, result.fuelCost());
        assertMatchesFixture(diff);
        assertApiKeyTouched(event);
    }

    @Test
    void opusRequestAddsWeeklyAndTotalOpusCost() throws IOException {
        JsonNode diff = fixture("06-relay-cache-and-opus/redis-opus-nonstream.json");
        seedApiKey(diff);
        UsageEvent event = new UsageEvent(KEY_ID, "fx-key-min", null, ACCOUNT_ID, "claude-console",
                "claude-opus-4-20250514", new Usage(2000, 500, 1000, 5000, 400, 600, "claude-opus-4-20250514"),
                Instant.parse("2026-11-23T07:21:57.668Z"), false);

        RecordedUsage result = TestRedis.await(recorder.record(event));

        assertEquals(1, roundTrips.get());
        assertEquals(0.1005, result.cost().total());
        assertTrue(diff.get("added").has("usage:opus:weekly:" + KEY_ID + ":2026-W48"));
        assertMatchesFixture(diff);
    }

    @Test
    void onTopOfTheLegacyBeforeStateTheResultIsTheLegacyAfterStateExactly() throws IOException {
        // Stronger than the deltas: INCRBYFLOAT results must be the same strings ("0.02085", "0.125025"...).
        // 04 non-stream, 05 stream (same usage), 06 opus non-stream and stream, each on its own before-state
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("04-relay-nonstream/redis-relay.json", "2026-11-23T07:21:53.341Z");
        cases.put("05-relay-stream/redis-relay-stream.json", "2026-11-23T07:21:55.520Z");
        cases.put("06-relay-cache-and-opus/redis-opus-nonstream.json", "2026-11-23T07:21:57.668Z");
        cases.put("06-relay-cache-and-opus/redis-opus-stream.json", "2026-11-23T07:21:59.342Z");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String path = c.getKey();
            redis.flush();
            JsonNode diff = fixture(path);
            seedApiKey(diff);
            seedBefore(diff);
            boolean opus = path.startsWith("06");
            String model = opus ? "claude-opus-4-20250514" : "claude-sonnet-4-20250514";
            Usage usage = opus ? new Usage(2000, 500, 1000, 5000, 400, 600, model)
                    : new Usage(1200, 345, 200, 3000, 150, 50, model);
            Instant at = Instant.parse(c.getValue());

            TestRedis.await(recorder.record(new UsageEvent(KEY_ID, "fx-key-min", "", ACCOUNT_ID, "claude-console",
                    model, usage, at, false)));

            for (Iterator<Map.Entry<String, JsonNode>> it = diff.get("changed").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (owned(entry.getKey())) {
                    assertExactlyAfter(entry.getKey(), entry.getValue().get("before"), entry.getValue().get("after"));
                }
            }
        }
    }

    @Test
    void rateLimitWindowCountersAreAdvancedInTheSameRoundTrip() {
        redis.call("SET", "rate_limit:tokens:" + KEY_ID, "10", "PX", "60000");
        redis.call("SET", "rate_limit:cost:" + KEY_ID, "0.5", "PX", "60000");
        UsageEvent event = new UsageEvent(KEY_ID, "k", "", ACCOUNT_ID, "claude-console",
                "claude-sonnet-4-20250514", new Usage(1200, 345, 200, 3000, 150, 50, "claude-sonnet-4-20250514"),
                Instant.parse("2026-11-23T07:21:53.341Z"), true);

        TestRedis.await(recorder.record(event));

        assertEquals(1, roundTrips.get());
        assertEquals("4755", redis.call("GET", "rate_limit:tokens:" + KEY_ID).toString());
        assertEquals(0.510537, Double.parseDouble(redis.call("GET", "rate_limit:cost:" + KEY_ID).toString()), 1e-12);
        assertTrue(Long.parseLong(redis.call("PTTL", "rate_limit:cost:" + KEY_ID).toString()) > 0,
                "INCRBYFLOAT keeps the window's TTL");
        // without an apikey hash the touch must not create one
        assertEquals(0, redis.call("EXISTS", "apikey:" + KEY_ID).toLong());
    }

    @Test
    void longContextRequestsFillTheLongContextCounters() {
        UsageEvent event = new UsageEvent(KEY_ID, "k", "", ACCOUNT_ID, "claude", "claude-sonnet-4-20250514[1m]",
                new Usage(150_000, 1000, 0, 60_000, 0, 0, null), Instant.parse("2026-11-23T07:21:53.341Z"), false);

        RecordedUsage result = TestRedis.await(recorder.record(event));

        assertTrue(result.cost().longContext());
        String daily = "usage:daily:" + KEY_ID + ":2026-11-23";
        assertEquals("150000", redis.call("HGET", "usage:" + KEY_ID, "totalLongContextInputTokens").toString());
        assertEquals("1000", redis.call("HGET", "usage:" + KEY_ID, "totalLongContextOutputTokens").toString());
        assertEquals("1", redis.call("HGET", daily, "longContextRequests").toString());
        assertEquals(0, redis.call("HEXISTS", "usage:monthly:" + KEY_ID + ":2026-11", "longContextRequests").toLong());
        assertEquals("1", redis.call("HGET", "account_usage:" + ACCOUNT_ID, "totalLongContextRequests").toString());
        assertEquals("1", redis.call("HGET", "account_usage:daily:" + ACCOUNT_ID + ":2026-11-23",
                "longContextRequests").toString());
        // the key name keeps the [1m] suffix, as the legacy's normaliser does
        assertEquals(1, redis.call("EXISTS", "usage:model:daily:claude-sonnet-4-20250514[1m]:2026-11-23").toLong());
        assertTrue(redis.call("LINDEX", "usage:records:" + KEY_ID, "0").toString().endsWith("\"isLongContext\":true}"));
    }

    @Test
    void withoutInputAndOutputTheLegacyBooksTheTotalAsOutput() {
        UsageEvent event = new UsageEvent(KEY_ID, "k", "", ACCOUNT_ID, "claude-console", "claude-sonnet-4-20250514",
                new Usage(0, 0, 0, 500, 0, 0, null), Instant.parse("2026-11-23T07:21:53.341Z"), false);

        TestRedis.await(recorder.record(event));

        // redis-keys.md §2.2 quirk on the key side; the account side books the real output (0)
        assertEquals("500", redis.call("HGET", "usage:" + KEY_ID, "totalOutputTokens").toString());
        assertEquals("1000", redis.call("HGET", "usage:" + KEY_ID, "totalAllTokens").toString());
        assertEquals("0", redis.call("HGET", "account_usage:" + ACCOUNT_ID, "totalOutputTokens").toString());
        assertEquals("500", redis.call("HGET", "account_usage:" + ACCOUNT_ID, "totalAllTokens").toString());
    }

    @Test
    void ccrPrefixIsBilledWithoutItAndUnknownAccountSkipsAccountKeys() {
        UsageEvent event = new UsageEvent(KEY_ID, "k", "", null, "ccr", "CCR,claude-opus-4-20250514",
                new Usage(10, 0, 0, 0, 0, 0, null), Instant.parse("2026-11-23T07:21:53.341Z"), false);

        RecordedUsage result = TestRedis.await(recorder.record(event));

        assertEquals(10 * 1.5e-5, result.cost().total());
        assertEquals(1, redis.call("EXISTS", "usage:opus:total:" + KEY_ID).toLong());
        assertEquals(1, redis.call("EXISTS", "usage:model:daily:claude-opus-4-20250514:2026-11-23").toLong());
        assertEquals(0, redis.call("KEYS", "account_usage:*").size());
        // legacy quirk: no output tokens but input > 0 → output booked as 0
        assertEquals("0", redis.call("HGET", "usage:" + KEY_ID, "totalOutputTokens").toString());
    }

    // ---------------------------------------------------------------------------------------------------------

    private void assertMatchesFixture(JsonNode diff) throws IOException {
        Set<String> expectedKeys = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = diff.get("added").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (owned(entry.getKey())) {
                expectedKeys.add(entry.getKey());
                assertAdded(entry.getKey(), entry.getValue());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = diff.get("changed").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (owned(entry.getKey())) {
                expectedKeys.add(entry.getKey());
                assertChanged(entry.getKey(), entry.getValue().get("before"), entry.getValue().get("after"));
            }
        }
        Set<String> ours = new TreeSet<>();
        for (Response key : redis.call("KEYS", "*")) {
            if (owned(key.toString())) {
                ours.add(key.toString());
            }
        }
        assertEquals(expectedKeys, ours, "same set of keys");
    }

    private void assertAdded(String key, JsonNode expected) throws IOException {
        String type = expected.get("type").asText();
        assertEquals(type, redis.call("TYPE", key).toString(), key);
        switch (type) {
            case "hash" -> assertEquals(textMap(expected.get("value")), hash(key), key);
            case "string" -> assertEquals(expected.get("value").asText(), redis.call("GET", key).toString(), key);
            case "list" -> {
                List<String> ours = list(key);
                assertEquals(expected.get("value").size(), ours.size(), key);
                assertEquals(withoutTimestamps(expected.get("value").get(0).asText()), withoutTimestamps(ours.get(0)));
            }
            default -> throw new AssertionError("unexpected type " + type + " for " + key);
        }
        assertTtl(key, expected.get("ttl_ms").asLong());
    }

    private void assertChanged(String key, JsonNode before, JsonNode after) throws IOException {
        String type = after.get("type").asText();
        assertEquals(type, redis.call("TYPE", key).toString(), key);
        switch (type) {
            case "hash" -> {
                Map<String, String> b = textMap(before.get("value"));
                Map<String, String> a = textMap(after.get("value"));
                Map<String, String> ours = hash(key);
                for (Map.Entry<String, String> field : a.entrySet()) {
                    double delta = LegacyValues.parseFloat(field.getValue()) - LegacyValues.parseFloat(b.get(field.getKey()));
                    String mine = ours.get(field.getKey());
                    if (delta == 0 && mine == null) {
                        continue; // untouched by this request (e.g. another model's hourly fields)
                    }
                    assertNotNull(mine, key + " field " + field.getKey());
                    assertEquals(delta, LegacyValues.parseFloat(mine), 1e-12, key + " field " + field.getKey());
                    if (!field.getValue().contains(".") && !b.getOrDefault(field.getKey(), "0").contains(".")) {
                        assertFalse(mine.contains("."), "integer counters stay integers: " + key);
                    }
                }
                assertTrue(a.keySet().containsAll(ours.keySet()), key + " has no extra fields: " + ours.keySet());
            }
            case "string" -> {
                double delta = Double.parseDouble(after.get("value").asText())
                        - Double.parseDouble(before.get("value").asText());
                assertEquals(delta, Double.parseDouble(redis.call("GET", key).toString()), 1e-12, key);
            }
            case "list" -> {
                List<String> ours = list(key);
                assertEquals(1, ours.size(), key);
                assertEquals(withoutTimestamps(after.get("value").get(0).asText()), withoutTimestamps(ours.get(0)));
            }
            case "stream" -> {
                assertEquals(1, redis.call("XLEN", key).toLong());
                assertBillingEvent(after.get("value").get(after.get("value").size() - 1).get(1));
            }
            default -> throw new AssertionError("unexpected type " + type + " for " + key);
        }
        if (key.startsWith("system:metrics:minute:")) {
            // deliberate fix of pitfall P6: the legacy leaves these without TTL
            assertEquals(-1, after.get("ttl_ms").asLong());
            assertTtl(key, UsageCounters.METRICS_MINUTE_TTL * 1000);
        } else if (!type.equals("stream")) {
            assertTtl(key, after.get("ttl_ms").asLong());
        }
    }

    private void assertExactlyAfter(String key, JsonNode before, JsonNode after) {
        String type = after.get("type").asText();
        switch (type) {
            case "hash" -> assertEquals(textMap(after.get("value")), hash(key), key);
            case "string" -> assertEquals(after.get("value").asText(), redis.call("GET", key).toString(), key);
            case "list" -> {
                List<String> ours = list(key);
                List<String> legacy = new ArrayList<>();
                after.get("value").forEach(v -> legacy.add(withoutTimestamps(v.asText())));
                assertEquals(legacy, ours.stream().map(UsageRecorderGoldenTest::withoutTimestamps).toList(), key);
            }
            case "stream" -> {
                assertEquals(before.get("value").size() + 1, redis.call("XLEN", key).toLong());
                assertBillingEvent(after.get("value").get(after.get("value").size() - 1).get(1));
            }
            default -> throw new AssertionError("unexpected type " + type + " for " + key);
        }
    }

    /** Writes the legacy's "before" state of every changed key of our families (values and TTLs). */
    private void seedBefore(JsonNode diff) {
        for (Iterator<Map.Entry<String, JsonNode>> it = diff.get("changed").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (!owned(key)) {
                continue;
            }
            JsonNode before = entry.getValue().get("before");
            JsonNode value = before.get("value");
            switch (before.get("type").asText()) {
                case "hash" -> {
                    List<String> args = new ArrayList<>(List.of("HSET", key));
                    value.fields().forEachRemaining(f -> {
                        args.add(f.getKey());
                        args.add(f.getValue().asText());
                    });
                    redis.call(args.toArray(String[]::new));
                }
                case "string" -> redis.call("SET", key, value.asText());
                case "list" -> value.forEach(v -> redis.call("RPUSH", key, v.asText()));
                case "stream" -> value.forEach(e -> redis.call("XADD", key, e.get(0).asText(), "data",
                        e.get(1).get("data").asText()));
                default -> throw new AssertionError(key);
            }
            long ttl = before.get("ttl_ms").asLong();
            if (ttl > 0) {
                redis.call("PEXPIRE", key, Long.toString(ttl));
            }
        }
    }

    private void assertBillingEvent(JsonNode expectedEntry) {
        Response entries = redis.call("XREVRANGE", "billing:events", "+", "-", "COUNT", "1");
        assertEquals(1, entries.size());
        Response fields = entries.get(0).get(1);
        assertEquals("data", fields.get(0).toString());
        String ours = fields.get(1).toString();
        String legacy = expectedEntry.get("data").asText();
        assertTrue(ours.matches("\\{\"eventId\":\"\\d{13}-[0-9a-z]{9}\".*"), ours);
        assertEquals(withoutTimestamps(legacy), withoutTimestamps(ours));
    }

    private void assertApiKeyTouched(UsageEvent event) {
        assertEquals(LegacyClock.iso(event.at()), redis.call("HGET", "apikey:" + KEY_ID, "lastUsedAt").toString());
        assertEquals("fx-key-min", redis.call("HGET", "apikey:" + KEY_ID, "name").toString(), "other fields kept");
        assertTtl("apikey:" + KEY_ID, UsageRecorder.API_KEY_TTL * 1000);
    }

    private void assertTtl(String key, long expectedMs) {
        long ours = redis.call("PTTL", key).toLong();
        if (expectedMs < 0) {
            assertEquals(-1, ours, key + " has no TTL");
        } else {
            assertTrue(Math.abs(ours - expectedMs) < TTL_SLACK_MS, key + " TTL " + ours + " vs " + expectedMs);
        }
    }

    private void seedApiKey(JsonNode diff) {
        JsonNode before = diff.get("changed").get("apikey:" + KEY_ID).get("before");
        List<String> args = new ArrayList<>(List.of("HSET", "apikey:" + KEY_ID));
        for (Iterator<Map.Entry<String, JsonNode>> it = before.get("value").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            args.add(f.getKey());
            args.add(f.getValue().asText());
        }
        redis.call(args.toArray(String[]::new));
        redis.call("EXPIRE", "apikey:" + KEY_ID, "1000");
    }

    /** Blanks the values that are "now" at write time: timestamps and the billing event id. */
    private static String withoutTimestamps(String json) {
        return json.replaceAll("\"(timestamp|requestTimestamp)\":\"[^\"]*\"", "\"$1\":\"T\"")
                .replaceAll("\"eventId\":\"[^\"]*\"", "\"eventId\":\"E\"");
    }

    private static boolean owned(String key) {
        return OWNED.stream().anyMatch(key::startsWith);
    }

    private Map<String, String> hash(String key) {
        Map<String, String> map = new HashMap<>();
        Response r = redis.call("HGETALL", key);
        for (String field : r.getKeys()) {
            map.put(field, r.get(field).toString());
        }
        return map;
    }

    private List<String> list(String key) {
        List<String> out = new ArrayList<>();
        for (Response item : redis.call("LRANGE", key, "0", "-1")) {
            out.add(item.toString());
        }
        return out;
    }

    private static Map<String, String> textMap(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        node.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue().asText()));
        return map;
    }

    private static JsonNode fixture(String path) throws IOException {
        return MAPPER.readTree(FIXTURES.resolve(path).toFile());
    }
}
