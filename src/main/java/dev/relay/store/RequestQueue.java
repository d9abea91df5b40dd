package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the optional per-key wait queue's keys {@code concurrency:queue:{keyId}},
 * {@code concurrency:queue:stats:{keyId}}, {@code concurrency:queue:wait_times:{keyId}} and
 * {@code concurrency:queue:wait_times:global} (redis-keys.md §2.9, §4.1 L6–L9, §4.2). The suffixes must stay
 * exactly these: the legacy's lease sweep deletes any other non-ZSET {@code concurrency:*} key (P17).
 */
@Singleton
public class RequestQueue {
    static final long STATS_TTL_SECONDS = 604_800;
    static final long WAIT_TIMES_TTL_SECONDS = 86_400;
    static final int KEY_WAIT_TIMES_LAST_INDEX = 499;
    static final int GLOBAL_WAIT_TIMES_LAST_INDEX = 1999;
    static final String GLOBAL_WAIT_TIMES = "concurrency:queue:wait_times:global";

    private static final LuaScript ENTER = LuaScript.fromClasspath("queue_enter.lua");
    private static final LuaScript LEAVE = LuaScript.fromClasspath("queue_leave.lua");
    private static final LuaScript STAT = LuaScript.fromClasspath("queue_stat.lua");
    private static final LuaScript WAIT_SAMPLE = LuaScript.fromClasspath("queue_wait_sample.lua");

    /** The counters of {@code concurrency:queue:stats:{keyId}}. */
    public enum Stat {
        ENTERED("entered"), SUCCESS("success"), TIMEOUT("timeout"), CANCELLED("cancelled"),
        SOCKET_CHANGED("socket_changed"), REJECTED_OVERLOAD("rejected_overload");

        public final String field;

        Stat(String field) {
            this.field = field;
        }
    }

    private final RedisStore store;

    public RequestQueue(RedisStore store) {
        this.store = store;
    }

    static String counterKey(String keyId) {
        return "concurrency:queue:" + keyId;
    }

    static String statsKey(String keyId) {
        return "concurrency:queue:stats:" + keyId;
    }

    static String waitTimesKey(String keyId) {
        return "concurrency:queue:wait_times:" + keyId;
    }

    /** L6: one more waiter; the counter's TTL is {@code ceil(timeoutMs / 1000) + 30} s. Returns the new count. */
    public Future<Long> enter(String keyId, long timeoutMs) {
        long ttlSeconds = (timeoutMs + 999) / 1000 + 30;
        return ENTER.call(store, List.of(counterKey(keyId)), List.of(Long.toString(ttlSeconds)))
                .map(Response::toLong);
    }

    /** L7: one waiter less (call exactly once per {@link #enter}); the key is deleted at zero. */
    public Future<Long> leave(String keyId) {
        return LEAVE.call(store, List.of(counterKey(keyId)), List.of()).map(Response::toLong);
    }

    /** Current number of waiters (0 when absent). */
    public Future<Long> waiting(String keyId) {
        return store.send(Request.cmd(Command.GET).arg(counterKey(keyId)))
                .map(reply -> reply == null ? 0L : LegacyValues.parseInt(reply.toString()));
    }

    /** L8: bumps one statistic and re-arms the 7-day TTL; returns the new value. */
    public Future<Long> record(String keyId, Stat stat) {
        return STAT.call(store, List.of(statsKey(keyId)), List.of(stat.field, Long.toString(STATS_TTL_SECONDS)))
                .map(Response::toLong);
    }

    /** All statistics of a key, in Redis order (empty when none). */
    public Future<Map<String, Long>> stats(String keyId) {
        return store.send(Request.cmd(Command.HGETALL).arg(statsKey(keyId))).map(reply -> {
            Map<String, Long> stats = new LinkedHashMap<>();
            if (reply == null) {
                return stats;
            }
            if (reply.type() == ResponseType.MULTI && !reply.isMap()) {
                // RESP2 answers HGETALL with a flat field/value array.
                for (int i = 0; i + 1 < reply.size(); i += 2) {
                    stats.put(reply.get(i).toString(), LegacyValues.parseInt(reply.get(i + 1).toString()));
                }
            } else {
                for (String field : reply.getKeys()) {
                    stats.put(field, LegacyValues.parseInt(reply.get(field).toString()));
                }
            }
            return stats;
        });
    }

    /** L9 for the key and for the global list, pipelined in one round trip (as the legacy records both). */
    public Future<Void> recordWaitTime(String keyId, long waitMs) {
        String wait = Long.toString(waitMs);
        String ttl = Long.toString(WAIT_TIMES_TTL_SECONDS);
        return store.batch(List.of(
                        WAIT_SAMPLE.evalRequest(List.of(waitTimesKey(keyId)),
                                List.of(wait, Integer.toString(KEY_WAIT_TIMES_LAST_INDEX), ttl)),
                        WAIT_SAMPLE.evalRequest(List.of(GLOBAL_WAIT_TIMES),
                                List.of(wait, Integer.toString(GLOBAL_WAIT_TIMES_LAST_INDEX), ttl))))
                .mapEmpty();
    }

    /** The key's wait samples in ms, newest first (input of the overload health check, relay.md §3.4). */
    public Future<List<Long>> waitTimes(String keyId) {
        return store.send(Request.cmd(Command.LRANGE).arg(waitTimesKey(keyId)).arg(0).arg(-1)).map(reply -> {
            List<Long> samples = new ArrayList<>();
            if (reply != null) {
                for (Response item : reply) {
                    samples.add(LegacyValues.parseInt(item.toString()));
                }
            }
            return samples;
        });
    }
}
