package dev.relay.store;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns Redis replies into Java values, for both RESP2 (flat arrays) and RESP3 (maps) connections. */
public final class Replies {
    private Replies() {
    }

    /** An {@code HGETALL} reply; a missing key gives an empty map. */
    public static Map<String, String> hash(Response reply) {
        Map<String, String> map = new LinkedHashMap<>();
        if (reply == null) {
            return map;
        }
        if (reply.isMap()) {
            for (String key : reply.getKeys()) {
                Response value = reply.get(key);
                map.put(key, value == null ? "" : value.toString());
            }
            return map;
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            Response value = reply.get(i + 1);
            map.put(reply.get(i).toString(), value == null ? "" : value.toString());
        }
        return map;
    }

    /** An {@code SMEMBERS}/{@code LRANGE}-style reply as strings, in reply order. */
    public static List<String> strings(Response reply) {
        List<String> list = new ArrayList<>();
        if (reply == null) {
            return list;
        }
        for (Response item : reply) {
            if (item != null) {
                list.add(item.toString());
            }
        }
        return list;
    }

    public static Set<String> set(Response reply) {
        return new LinkedHashSet<>(strings(reply));
    }

    /** A bulk-string reply, or null for a nil reply. */
    public static String text(Response reply) {
        return reply == null ? null : reply.toString();
    }
}
