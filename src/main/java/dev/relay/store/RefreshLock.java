package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Owns {@code token_refresh_lock:{platform}:{accountId}} (redis-keys.md §2.10): {@code SET NX EX 60} with the
 * owner's UUID, released by compare-and-delete (§4.1 L10) so a lock that expired and was re-taken by another
 * instance is never deleted by the first owner.
 */
@Singleton
public class RefreshLock {
    static final long LOCK_SECONDS = 60;
    private static final LuaScript COMPARE_AND_DELETE = LuaScript.fromClasspath("compare_and_delete.lua");

    private final RedisStore store;

    public RefreshLock(RedisStore store) {
        this.store = store;
    }

    static String key(String platform, String accountId) {
        return "token_refresh_lock:" + platform + ":" + accountId;
    }

    /** @param platform {@code claude}, {@code gemini} or {@code openai} */
    public Future<Boolean> tryAcquire(String platform, String accountId, String owner) {
        return store.send(Request.cmd(Command.SET).arg(key(platform, accountId)).arg(owner)
                        .arg("NX").arg("EX").arg(LOCK_SECONDS))
                .map(reply -> reply != null && "OK".equals(reply.toString()));
    }

    /** Deletes the lock only if {@code owner} still holds it; returns whether it did. */
    public Future<Boolean> release(String platform, String accountId, String owner) {
        return COMPARE_AND_DELETE.call(store, List.of(key(platform, accountId)), List.of(owner))
                .map(reply -> reply.toLong() == 1);
    }
}
