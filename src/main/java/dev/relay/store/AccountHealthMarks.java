package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the per-account runtime marks of redis-keys.md §2.5 ({@code temp_unavailable:{type}:{id}},
 * {@code claude_account:{id}:5xx_errors}, {@code claude_account:{id}:401_errors}) and applies the Console account
 * state changes of relay.md §7.2 as partial writes (one Lua round trip each, only the changed fields; never a
 * whole-hash rewrite, pitfall P3). Callers skip the Console changes when the account has
 * {@code disableAutoProtection}.
 */
@Singleton
public class AccountHealthMarks {
    static final long TEMP_UNAVAILABLE_SECONDS = 300;
    static final long ERROR_COUNTER_SECONDS = 300;
    /** {@code PTTL} of a key that exists without expiry. */
    public static final long NO_EXPIRY = -1;
    /** {@code PTTL} of a missing key. */
    private static final long MISSING = -2;
    static final String UNAUTHORIZED_MESSAGE = "API Key无效或已过期（401错误）";
    static final String OVERLOADED_MESSAGE = "服务过载（529错误）";

    private static final LuaScript RATE_LIMITED = LuaScript.fromClasspath("console_account_rate_limited.lua");
    private static final LuaScript UNAUTHORIZED = LuaScript.fromClasspath("console_account_unauthorized.lua");
    private static final LuaScript OVERLOADED = LuaScript.fromClasspath("console_account_overloaded.lua");
    private static final LuaScript SUCCEEDED = LuaScript.fromClasspath("console_account_succeeded.lua");

    /** What a Console 200/201 lifted. */
    public record Lifted(boolean rateLimit, boolean overload) {
    }

    private final RedisStore store;
    private final Clock clock;

    @Inject
    public AccountHealthMarks(RedisStore store) {
        this(store, Clock.systemUTC());
    }

    public AccountHealthMarks(RedisStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    static String tempUnavailableKey(String accountType, String accountId) {
        return "temp_unavailable:" + accountType + ":" + accountId;
    }

    static String serverErrorsKey(String accountId) {
        return "claude_account:" + accountId + ":5xx_errors";
    }

    static String unauthorizedErrorsKey(String accountId) {
        return "claude_account:" + accountId + ":401_errors";
    }

    /**
     * The account hash {@code claude_console_account:{id}} belongs to the Console account store; this class formats
     * the key only for the field-level state writes below.
     */
    private static String consoleAccountKey(String accountId) {
        return "claude_console_account:" + accountId;
    }

    /** {@code SETEX temp_unavailable:{type}:{id} 300 1} (Claude OAuth 5xx / timeouts, type claude-official). */
    public Future<Void> markTemporarilyUnavailable(String accountType, String accountId) {
        return markTemporarilyUnavailable(accountType, accountId, TEMP_UNAVAILABLE_SECONDS);
    }

    /**
     * The same mark for {@code seconds} (at least 1): the legacy's key and value, so its scheduler skips the account
     * just as long; only the TTL differs from its 300 s.
     */
    public Future<Void> markTemporarilyUnavailable(String accountType, String accountId, long seconds) {
        return store.send(Request.cmd(Command.SETEX).arg(tempUnavailableKey(accountType, accountId))
                .arg(Math.max(1, seconds)).arg("1")).mapEmpty();
    }

    public Future<Boolean> isTemporarilyUnavailable(String accountType, String accountId) {
        return store.send(Request.cmd(Command.EXISTS).arg(tempUnavailableKey(accountType, accountId)))
                .map(reply -> reply.toLong() > 0);
    }

    /**
     * Which of these accounts are marked temporarily unavailable, each with the milliseconds its mark has left
     * ({@link #NO_EXPIRY} for a mark without TTL): one pipelined round trip of {@code PTTL}, which tells an existing
     * key exactly as the legacy's {@code EXISTS} does.
     */
    public Future<Map<String, Long>> temporarilyUnavailable(String accountType, List<String> accountIds) {
        if (accountIds.isEmpty()) {
            return Future.succeededFuture(Map.of());
        }
        List<Request> checks = accountIds.stream()
                .map(id -> Request.cmd(Command.PTTL).arg(tempUnavailableKey(accountType, id))).toList();
        return store.batch(checks).map(replies -> {
            Map<String, Long> marked = new HashMap<>();
            for (int i = 0; i < accountIds.size(); i++) {
                long ttl = replies.get(i) == null ? MISSING : replies.get(i).toLong();
                if (ttl != MISSING) {
                    marked.put(accountIds.get(i), ttl);
                }
            }
            return marked;
        });
    }

    /** INCR + EXPIRE 300 of {@code claude_account:{id}:5xx_errors}, one pipelined round trip; the new count. */
    public Future<Long> recordServerError(String accountId) {
        return countWithExpiry(serverErrorsKey(accountId));
    }

    /** INCR + EXPIRE 300 of {@code claude_account:{id}:401_errors}; the new count (≥ 1 → mark unauthorized). */
    public Future<Long> recordUnauthorizedError(String accountId) {
        return countWithExpiry(unauthorizedErrorsKey(accountId));
    }

    /** OAuth 200/201 (relay.md §7.1): both error counters are deleted. */
    public Future<Void> clearErrorCounters(String accountId) {
        return store.send(Request.cmd(Command.DEL).arg(unauthorizedErrorsKey(accountId))
                .arg(serverErrorsKey(accountId))).mapEmpty();
    }

    private Future<Long> countWithExpiry(String key) {
        return store.batch(List.of(
                        Request.cmd(Command.INCR).arg(key),
                        Request.cmd(Command.EXPIRE).arg(key).arg(ERROR_COUNTER_SECONDS)))
                .map(replies -> replies.get(0).toLong());
    }

    /**
     * Console 429: {@code rateLimitedAt}, {@code rateLimitStatus=limited}, {@code isActive=false},
     * {@code schedulable=false}, {@code errorMessage="Rate limited at <ISO>"}, {@code rateLimitAutoStopped=true},
     * {@code status=rate_limited} unless {@code quota_exceeded}. Skipped when the account's
     * {@code rateLimitDuration} is 0. Returns whether the account was marked.
     */
    public Future<Boolean> consoleRateLimited(String accountId) {
        String now = LegacyClock.iso(clock.instant());
        return RATE_LIMITED.call(store, List.of(consoleAccountKey(accountId)), List.of(now, "Rate limited at " + now))
                .map(reply -> reply.toLong() == 1);
    }

    /**
     * Console 401: {@code schedulable=false}, {@code status=unauthorized}, {@code errorMessage},
     * {@code unauthorizedAt}, {@code unauthorizedCount+1}. Returns the new count, or 0 for an unknown account.
     */
    public Future<Long> consoleUnauthorized(String accountId) {
        return UNAUTHORIZED.call(store, List.of(consoleAccountKey(accountId)),
                        List.of(LegacyClock.iso(clock.instant()), UNAUTHORIZED_MESSAGE))
                .map(reply -> Math.max(0, reply.toLong()));
    }

    /** Console 529: {@code overloadedAt}, {@code overloadStatus=overloaded}, {@code errorMessage}. */
    public Future<Boolean> consoleOverloaded(String accountId) {
        return OVERLOADED.call(store, List.of(consoleAccountKey(accountId)),
                        List.of(LegacyClock.iso(clock.instant()), OVERLOADED_MESSAGE))
                .map(reply -> reply.toLong() == 1);
    }

    /**
     * Console 200/201: lifts a rate limit (HDEL {@code rateLimitedAt}, {@code rateLimitStatus}; back to
     * {@code active}, or {@code quota_exceeded} when {@code quotaStoppedAt} is set; re-enables scheduling only if the
     * rate limit stopped it) and an overload (HDEL {@code overloadedAt}, {@code overloadStatus};
     * {@code errorMessage} is left as it is, fixture 10 console-529-next).
     */
    public Future<Lifted> consoleSucceeded(String accountId) {
        return SUCCEEDED.call(store, List.of(consoleAccountKey(accountId)), List.of())
                .map(reply -> {
                    long bits = reply.toLong();
                    return new Lifted((bits & 1) != 0, (bits & 2) != 0);
                });
    }
}
