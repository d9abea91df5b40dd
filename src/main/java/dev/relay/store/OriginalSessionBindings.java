package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;

/**
 * Owns the global session bindings {@code original_session_binding:<sessionId>} (relay.md §4.3): a JSON STRING
 * {@code {"accountId","accountType","createdAt","lastUsedAt"}} (ISO times) written with {@code SET … EX}, the TTL
 * being {@code sessionBindingTtlDays}. A value that is not JSON counts as no binding, as the legacy's reader does.
 */
@Singleton
public class OriginalSessionBindings {
    static final String PREFIX = "original_session_binding:";

    /** A binding as stored; {@code json} keeps the fields the legacy wrote, in its order. */
    public record Binding(String accountId, String accountType, JsonObject json) {
    }

    private final RedisStore store;

    public OriginalSessionBindings(RedisStore store) {
        this.store = store;
    }

    public static String key(String sessionId) {
        return PREFIX + sessionId;
    }

    public Future<Optional<Binding>> get(String sessionId) {
        return store.send(Request.cmd(Command.GET).arg(key(sessionId))).map(reply -> {
            if (reply == null) {
                return Optional.empty();
            }
            try {
                JsonObject json = new JsonObject(reply.toString());
                return Optional.of(new Binding(text(json, "accountId"), text(json, "accountType"), json));
            } catch (DecodeException | ClassCastException e) {
                return Optional.empty();
            }
        });
    }

    /** A new binding, as the legacy's {@code setOriginalSessionBinding} writes it. */
    public Future<Void> create(String sessionId, String accountId, String accountType, long ttlSeconds, Instant now) {
        String at = LegacyClock.iso(now);
        JsonObject json = new JsonObject().put("accountId", accountId).put("accountType", accountType)
                .put("createdAt", at).put("lastUsedAt", at);
        return write(sessionId, json, ttlSeconds);
    }

    /** The legacy's touch: the stored JSON with a new {@code lastUsedAt}, written back with a full TTL. */
    public Future<Void> touch(String sessionId, Binding binding, long ttlSeconds, Instant now) {
        return write(sessionId, binding.json().copy().put("lastUsedAt", LegacyClock.iso(now)), ttlSeconds);
    }

    private Future<Void> write(String sessionId, JsonObject json, long ttlSeconds) {
        return store.send(Request.cmd(Command.SET).arg(key(sessionId)).arg(json.encode()).arg("EX").arg(ttlSeconds))
                .mapEmpty();
    }

    private static String text(JsonObject json, String field) {
        Object value = json.getValue(field);
        return value == null ? null : value.toString();
    }
}
