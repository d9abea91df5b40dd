package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;

/** Owns {@code oem:settings} (redis-keys.md §2.14): the dashboard's site name and icon, a JSON STRING without TTL. */
@Singleton
public class OemSettings {
    static final String KEY = "oem:settings";

    private final RedisStore redis;

    public OemSettings(RedisStore redis) {
        this.redis = redis;
    }

    /** The stored object; empty when missing or not a JSON object (the legacy then answers its defaults). */
    public Future<JsonObject> read() {
        return redis.send(Request.cmd(Command.GET).arg(KEY)).map(reply -> {
            String text = Replies.text(reply);
            if (text == null) {
                return new JsonObject();
            }
            try {
                return new JsonObject(text);
            } catch (RuntimeException unreadable) {
                return new JsonObject();
            }
        });
    }

    public Future<Void> write(JsonObject settings) {
        return redis.send(Request.cmd(Command.SET).arg(KEY).arg(settings.encode())).mapEmpty();
    }
}
