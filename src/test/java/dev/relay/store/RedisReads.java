package dev.relay.store;

import dev.relay.testsupport.TestRedis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading raw Redis state in tests, independent of the classes under test. */
final class RedisReads {
    private RedisReads() {
    }

    static Map<String, String> hash(TestRedis redis, String key) {
        Response reply = redis.call("HGETALL", key);
        Map<String, String> fields = new TreeMap<>();
        if (reply.type() == ResponseType.MULTI && !reply.isMap()) {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
            }
        } else {
            for (String field : reply.getKeys()) {
                fields.put(field, reply.get(field).toString());
            }
        }
        return fields;
    }

    static String string(TestRedis redis, String key) {
        Response reply = redis.call("GET", key);
        return reply == null ? null : reply.toString();
    }

    static long pttl(TestRedis redis, String key) {
        return redis.call("PTTL", key).toLong();
    }

    static boolean exists(TestRedis redis, String key) {
        return redis.call("EXISTS", key).toLong() == 1;
    }

    static List<String> list(TestRedis redis, String key) {
        List<String> items = new ArrayList<>();
        for (Response item : redis.call("LRANGE", key, "0", "-1")) {
            items.add(item.toString());
        }
        return items;
    }

    /** ZSET members with scores, lowest score first. */
    static Map<String, Double> zset(TestRedis redis, String key) {
        Map<String, Double> members = new TreeMap<>();
        Response reply = redis.call("ZRANGE", key, "0", "-1", "WITHSCORES");
        for (int i = 0; i < reply.size(); i++) {
            Response item = reply.get(i);
            if (item.type() == ResponseType.MULTI) { // RESP3: [member, score] pairs
                members.put(item.get(0).toString(), item.get(1).toDouble());
            } else {
                members.put(item.toString(), reply.get(++i).toDouble());
            }
        }
        return members;
    }
}
