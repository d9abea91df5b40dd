package dev.relay.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the usage writes left in Redis, comparable across runs: every key but the commit markers, hashes and
 * strings by value, lists in order, streams by their entries' data (event ids blanked). TTLs left out.
 */
final class UsageState {
    private UsageState() {
    }

    static Map<String, Object> of(TestRedis redis) {
        Map<String, Object> state = new TreeMap<>();
        for (Response key : redis.call("KEYS", "*")) {
            String name = key.toString();
            if (name.startsWith("relay:usage_commit:")) {
                continue;
            }
            switch (redis.call("TYPE", name).toString()) {
                case "hash" -> {
                    Map<String, String> fields = new TreeMap<>();
                    Response all = redis.call("HGETALL", name);
                    all.getKeys().forEach(f -> fields.put(f, all.get(f).toString()));
                    state.put(name, fields);
                }
                case "string" -> state.put(name, redis.call("GET", name).toString());
                case "list" -> {
                    List<String> items = new ArrayList<>();
                    redis.call("LRANGE", name, "0", "-1").forEach(r -> items.add(r.toString()));
                    state.put(name, items);
                }
                case "stream" -> {
                    List<String> data = new ArrayList<>();
                    redis.call("XRANGE", name, "-", "+").forEach(entry -> data.add(entry.get(1).get(1).toString()
                            .replaceAll("\"eventId\":\"[^\"]*\"", "\"eventId\":\"E\"")));
                    state.put(name, data);
                }
                default -> state.put(name, redis.call("TYPE", name).toString());
            }
        }
        return state;
    }

    /** Equal, except float counters may differ in the last digits (merged differently: redis-compat.md §8). */
    @SuppressWarnings("unchecked")
    static void assertSame(Map<String, Object> expected, Map<String, Object> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "same keys");
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object mine = actual.get(e.getKey());
            if (e.getValue() instanceof Map<?, ?> fields) {
                Map<String, String> ours = (Map<String, String>) mine;
                assertEquals(fields.keySet(), ours.keySet(), e.getKey());
                fields.forEach((f, v) -> assertClose((String) v, ours.get(f), e.getKey() + " " + f));
            } else if (e.getValue() instanceof String s) {
                assertClose(s, (String) mine, e.getKey());
            } else {
                assertEquals(e.getValue(), mine, e.getKey());
            }
        }
    }

    private static void assertClose(String expected, String actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        try {
            double a = Double.parseDouble(expected);
            double b = Double.parseDouble(actual);
            assertTrue(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)), what + ": " + expected + " vs " + actual);
        } catch (NumberFormatException notNumbers) {
            assertEquals(expected, actual, what);
        }
    }
}
