package dev.relay.testsupport;

import dev.relay.store.Replies;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole test keyspace as comparable text (key → type and value, TTLs left out), like the capture's snap.py
 * diffs: a refused request must leave it exactly as it was.
 */
public final class RedisKeyspace {
    private final TestRedis redis;

    public RedisKeyspace(TestRedis redis) {
        this.redis = redis;
    }

    public Map<String, String> snapshot() {
        Map<String, String> keys = new TreeMap<>();
        String cursor = "0";
        do {
            Response page = redis.call("SCAN", cursor, "COUNT", "1000");
            cursor = page.get(0).toString();
            for (Response key : page.get(1)) {
                String name = key.toString();
                String value = valueOf(name);
                if (value != null) {
                    keys.put(name, value);
                }
            }
        } while (!"0".equals(cursor));
        return keys;
    }

    /**
     * A snapshot once asynchronous writes have landed: two consecutive snapshots 150 ms apart are equal (gives up
     * after 5 s and returns the last one).
     */
    public Map<String, String> settled() {
        Map<String, String> previous = snapshot();
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            sleep(150);
            Map<String, String> current = snapshot();
            if (current.equals(previous) || System.currentTimeMillis() > deadline) {
                return current;
            }
            previous = current;
        }
    }

    private String valueOf(String key) {
        String type = redis.call("TYPE", key).toString();
        return switch (type) {
            case "none" -> null;
            case "string" -> "string " + redis.call("GET", key);
            case "hash" -> "hash " + new TreeMap<>(Replies.hash(redis.call("HGETALL", key)));
            case "set" -> "set " + new TreeSet<>(Replies.strings(redis.call("SMEMBERS", key)));
            case "list" -> "list " + Replies.strings(redis.call("LRANGE", key, "0", "-1"));
            case "zset" -> "zset " + zset(redis.call("ZRANGE", key, "0", "-1", "WITHSCORES"));
            default -> type;
        };
    }

    private static List<String> zset(Response reply) {
        List<String> entries = new ArrayList<>();
        for (Response item : reply) {
            if (item.type() == io.vertx.redis.client.ResponseType.MULTI) {
                entries.add(item.get(0) + "=" + item.get(1)); // RESP3: [member, score] pairs
            } else {
                entries.add(item.toString());
            }
        }
        return entries;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
