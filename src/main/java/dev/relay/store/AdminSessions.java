package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the admin sessions {@code session:{token}} (redis-keys.md §2.11): a HASH {@code username, loginTime,
 * lastActivity}, written as the legacy writes it (HSET of the whole session + EXPIRE) so either service accepts a
 * session the other made. {@code session:admin_credentials} shares the prefix but belongs to {@link AdminCredentials};
 * tokens are at least 32 characters, so they never name it.
 */
@Singleton
public class AdminSessions {
    static final String PREFIX = "session:";
    public static final int MIN_TOKEN_LENGTH = 32;
    public static final int MAX_TOKEN_LENGTH = 512;

    private final RedisStore redis;

    public AdminSessions(RedisStore redis) {
        this.redis = redis;
    }

    static String key(String token) {
        return PREFIX + token;
    }

    /**
     * The session's fields; empty when there is none. A STRING left by the legacy's Go proxy (JSON with the session
     * under {@code data}) is read too, as the legacy's getSession does on WRONGTYPE.
     */
    public Future<Map<String, String>> find(String token) {
        if (!wellFormed(token)) {
            return Future.succeededFuture(Map.of());
        }
        return redis.send(Request.cmd(Command.HGETALL).arg(key(token))).map(Replies::hash)
                .recover(error -> wrongType(error)
                        ? redis.send(Request.cmd(Command.GET).arg(key(token))).map(reply -> fromJson(Replies.text(reply)))
                        : Future.failedFuture(error));
    }

    /** HSET of every field, then EXPIRE, pipelined; a STRING in the way is replaced, as the legacy's setSession does. */
    public Future<Void> save(String token, Map<String, String> fields, long ttlSeconds) {
        requireWellFormed(token);
        return redis.batch(List.of(hset(token, fields), Request.cmd(Command.EXPIRE).arg(key(token)).arg(ttlSeconds)))
                .<Void>mapEmpty()
                .recover(error -> wrongType(error)
                        ? redis.batch(List.of(Request.cmd(Command.DEL).arg(key(token)), hset(token, fields),
                                Request.cmd(Command.EXPIRE).arg(key(token)).arg(ttlSeconds))).mapEmpty()
                        : Future.failedFuture(error));
    }

    public Future<Void> delete(String token) {
        if (!wellFormed(token)) {
            return Future.succeededFuture();
        }
        return redis.send(Request.cmd(Command.DEL).arg(key(token))).mapEmpty();
    }

    public static boolean wellFormed(String token) {
        return token != null && token.length() >= MIN_TOKEN_LENGTH && token.length() <= MAX_TOKEN_LENGTH;
    }

    private static void requireWellFormed(String token) {
        if (!wellFormed(token)) {
            throw new IllegalArgumentException("an admin session token has 32 to 512 characters");
        }
    }

    private static Request hset(String token, Map<String, String> fields) {
        Request hset = Request.cmd(Command.HSET).arg(key(token));
        fields.forEach((field, value) -> hset.arg(field).arg(value == null ? "" : value));
        return hset;
    }

    private static boolean wrongType(Throwable error) {
        return error.getMessage() != null && error.getMessage().startsWith("WRONGTYPE");
    }

    private static Map<String, String> fromJson(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (text == null) {
            return fields;
        }
        try {
            JsonObject stored = new JsonObject(text);
            JsonObject data = stored.getValue("data") instanceof JsonObject inner ? inner : stored;
            data.forEach(entry -> fields.put(entry.getKey(), entry.getValue() == null ? "" : entry.getValue().toString()));
        } catch (RuntimeException unreadable) {
            // not JSON: no session, as the legacy's reader concludes
        }
        return fields;
    }
}
