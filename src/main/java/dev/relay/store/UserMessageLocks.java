package dev.relay.store;

import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Owns {@code user_msg_queue_lock:{accountId}} and {@code user_msg_queue_last:{accountId}} (redis-keys.md §2.10,
 * §4.1 L11/L12): the per-account lock of the optional user-message queue, shared with the legacy, so that one
 * account never gets two user turns at once from either service.
 */
@Singleton
public class UserMessageLocks {
    private static final LuaScript ACQUIRE = LuaScript.fromClasspath("user_message_lock_acquire.lua");
    private static final LuaScript RELEASE = LuaScript.fromClasspath("user_message_lock_release.lua");

    private final RedisStore redis;

    public UserMessageLocks(RedisStore redis) {
        this.redis = redis;
    }

    public static String lockKey(String accountId) {
        return "user_msg_queue_lock:" + accountId;
    }

    public static String lastKey(String accountId) {
        return "user_msg_queue_last:" + accountId;
    }

    /**
     * One try. {@code waitMs} is 0 when taken, the remaining gap after the account's last user turn, or -1 while
     * another request holds the lock.
     */
    public record Attempt(boolean acquired, long waitMs) {
    }

    public Future<Attempt> tryAcquire(String accountId, String requestId, long lockTtlMs, long gapMs) {
        return ACQUIRE.call(redis, List.of(lockKey(accountId), lastKey(accountId)),
                List.of(requestId, Long.toString(lockTtlMs), Long.toString(gapMs)))
                .map(reply -> new Attempt(reply.get(0).toInteger() == 1, reply.get(1).toLong()));
    }

    /** False when the lock had expired or belongs to someone else (then nothing changes). */
    public Future<Boolean> release(String accountId, String requestId) {
        return RELEASE.call(redis, List.of(lockKey(accountId), lastKey(accountId)), List.of(requestId))
                .map(reply -> reply.toInteger() == 1);
    }
}
