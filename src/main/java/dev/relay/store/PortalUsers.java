package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;

/** Owns {@code user:{id}} (redis-keys.md §2.12): the user-portal account that owns an API key. */
@Singleton
public class PortalUsers {
    private final RedisStore redis;

    public PortalUsers(RedisStore redis) {
        this.redis = redis;
    }

    public static String key(String userId) {
        return "user:" + userId;
    }

    /** True when the user exists and its JSON says {@code "isActive": true}. */
    public Future<Boolean> active(String userId) {
        return redis.send(Request.cmd(Command.GET).arg(key(userId))).map(reply -> {
            if (reply == null) {
                return false;
            }
            try {
                return Boolean.TRUE.equals(new JsonObject(reply.toString()).getValue("isActive"));
            } catch (DecodeException e) {
                return false;
            }
        });
    }
}
