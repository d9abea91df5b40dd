package dev.relay.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loads a legacy {@code redis*.json} snapshot diff (shared/legacy/fixtures/INDEX-relay.md "File formats") into the
 * test Redis: every {@code added} entry and every {@code changed.after} entry is written with its type, value and
 * TTL (an existing key of that name is replaced); {@code deleted} keys are removed.
 */
public final class FixtureRedis {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureRedis() {
    }

    /** {@code ../shared/legacy/fixtures/{folder}/{file}} relative to the project root. */
    public static Path fixture(String folder, String file) {
        return Path.of("..", "shared", "legacy", "fixtures", folder, file);
    }

    public static JsonNode read(Path json) {
        try {
            return JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void load(TestRedis redis, Path... diffJsons) {
        for (Path diffJson : diffJsons) {
            load(redis, diffJson);
        }
    }

    public static void load(TestRedis redis, Path diffJson) {
        JsonNode diff = read(diffJson);
        for (Iterator<Map.Entry<String, JsonNode>> it = diff.path("deleted").fields(); it.hasNext(); ) {
            redis.call("DEL", it.next().getKey());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = diff.path("added").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            write(redis, e.getKey(), e.getValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = diff.path("changed").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            write(redis, e.getKey(), e.getValue().path("after"));
        }
    }

    /** Writes one snapshot entry {@code {"type","ttl_ms","value"}} under {@code key}. */
    public static void write(TestRedis redis, String key, JsonNode entry) {
        redis.call("DEL", key);
        JsonNode value = entry.path("value");
        String type = entry.path("type").asText();
        switch (type) {
            case "string":
                redis.call("SET", key, value.asText());
                break;
            case "hash": {
                List<String> args = command("HSET", key);
                value.fields().forEachRemaining(f -> {
                    args.add(f.getKey());
                    args.add(f.getValue().asText());
                });
                if (args.size() > 2) {
                    redis.call(args.toArray(String[]::new));
                }
                break;
            }
            case "list": {
                List<String> args = command("RPUSH", key);
                value.forEach(item -> args.add(item.asText()));
                if (args.size() > 2) {
                    redis.call(args.toArray(String[]::new));
                }
                break;
            }
            case "set": {
                List<String> args = command("SADD", key);
                value.forEach(item -> args.add(item.asText()));
                if (args.size() > 2) {
                    redis.call(args.toArray(String[]::new));
                }
                break;
            }
            case "zset": {
                List<String> args = command("ZADD", key);
                value.forEach(pair -> {
                    args.add(new BigDecimal(pair.get(1).asText()).toPlainString());
                    args.add(pair.get(0).asText());
                });
                if (args.size() > 2) {
                    redis.call(args.toArray(String[]::new));
                }
                break;
            }
            case "stream":
                value.forEach(item -> {
                    List<String> args = command("XADD", key);
                    args.add(item.get(0).asText());
                    item.get(1).fields().forEachRemaining(f -> {
                        args.add(f.getKey());
                        args.add(f.getValue().asText());
                    });
                    redis.call(args.toArray(String[]::new));
                });
                break;
            default:
                throw new IllegalArgumentException("unknown Redis type " + type + " for " + key);
        }
        long ttlMs = entry.path("ttl_ms").asLong(-1);
        if (ttlMs > 0) {
            redis.call("PEXPIRE", key, Long.toString(ttlMs));
        }
    }

    private static List<String> command(String name, String key) {
        List<String> args = new ArrayList<>();
        args.add(name);
        args.add(key);
        return args;
    }
}
