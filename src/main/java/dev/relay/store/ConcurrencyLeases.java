package dev.relay.store;

import dev.relay.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Owns the lease ZSETs {@code concurrency:{keyId}}, {@code concurrency:claude_account:{id}} and
 * {@code concurrency:console_account:{id}} (redis-keys.md §2.9, §4.1 L1–L4, §4.2). Member = request UUID, score =
 * lease expiry in ms, key TTL {@code max((lease + grace) * 1000, 60000)} ms: the legacy's own format, so leases
 * taken by either service count in both. Every lease relay takes (key and account) lasts {@link #terms()}
 * ({@code relay.lease-seconds}, 300 s by default as the legacy's key lease) and is renewed while its request runs.
 */
@Singleton
public class ConcurrencyLeases {
    /** The legacy's API-key slot lease (redis.js _getConcurrencyConfig leaseSeconds), relay's default. */
    public static final int API_KEY_LEASE_SECONDS = 300;
    /** cleanupGraceSeconds: the key outlives its newest lease by this much. */
    public static final int GRACE_SECONDS = 30;

    private static final LuaScript ACQUIRE = LuaScript.fromClasspath("lease_acquire.lua");
    private static final LuaScript REFRESH = LuaScript.fromClasspath("lease_refresh.lua");
    private static final LuaScript RELEASE = LuaScript.fromClasspath("lease_release.lua");
    private static final LuaScript COUNT = LuaScript.fromClasspath("lease_count.lua");
    private static final LuaScript SWEEP = LuaScript.fromClasspath("lease_sweep.lua");
    private static final String QUEUE_PREFIX = "concurrency:queue:";

    private final RedisStore store;
    private final Clock clock;
    private final LeaseReleaseRetries retries;
    private final LeaseTerms terms;
    private final LongAdder releasing = new LongAdder();

    @Inject
    public ConcurrencyLeases(RedisStore store, LeaseReleaseRetries retries, RelayConfig config) {
        this(store, Clock.systemUTC(), retries, new LeaseTerms(config.leaseSeconds(), config.leaseRenewSeconds()));
    }

    /** Without retries: a held lease whose release fails is left to expire (tests of the scripts alone). */
    public ConcurrencyLeases(RedisStore store) {
        this(store, Clock.systemUTC(), null);
    }

    /** As {@link #ConcurrencyLeases(RedisStore)}, on a given clock. */
    public ConcurrencyLeases(RedisStore store, Clock clock) {
        this(store, clock, null);
    }

    public ConcurrencyLeases(RedisStore store, Clock clock, LeaseReleaseRetries retries) {
        this(store, clock, retries, LeaseTerms.LEGACY);
    }

    public ConcurrencyLeases(RedisStore store, Clock clock, LeaseReleaseRetries retries, LeaseTerms terms) {
        this.store = store;
        this.clock = clock;
        this.retries = retries;
        this.terms = terms;
        if (retries != null) {
            store.availability().whenReachableAgain(retries::retryNow);
        }
    }

    /** The lease and renewal every caller uses. */
    public LeaseTerms terms() {
        return terms;
    }

    /**
     * Takes a lease of {@link #terms()}'s length (see {@link #take(String, String, int, long)}).
     *
     * @param limit maximum concurrent leases, 0 or less = unlimited
     */
    public Future<Taken> take(String leasesKey, String member, long limit) {
        return take(leasesKey, member, terms.leaseSeconds(), limit);
    }

    public static String apiKeyLeases(String keyId) {
        return "concurrency:" + keyId;
    }

    public static String claudeAccountLeases(String accountId) {
        return "concurrency:claude_account:" + accountId;
    }

    public static String consoleAccountLeases(String accountId) {
        return "concurrency:console_account:" + accountId;
    }

    /** PEXPIRE value for a lease of this length (§2.9): {@code max((lease + grace) * 1000, 60000)}. */
    public static long keyTtlMillis(int leaseSeconds) {
        return Math.max((leaseSeconds + (long) GRACE_SECONDS) * 1000L, 60_000L);
    }

    /**
     * Takes a lease and checks the limit in one atomic step; over the limit the lease is given back before the
     * script returns, so concurrent callers are never over-admitted.
     *
     * @param limit maximum concurrent leases, 0 or less = unlimited
     */
    public Future<LeaseResult> acquire(String leasesKey, String member, int leaseSeconds, long limit) {
        return acquireAt(clock.millis(), leasesKey, member, leaseSeconds, limit);
    }

    private Future<LeaseResult> acquireAt(long now, String leasesKey, String member, int leaseSeconds, long limit) {
        return ACQUIRE.call(store, List.of(leasesKey), List.of(member,
                        Long.toString(now + leaseSeconds * 1000L),
                        Long.toString(now),
                        Long.toString(keyTtlMillis(leaseSeconds)),
                        Long.toString(Math.max(0, limit))))
                .map(reply -> new LeaseResult(reply.get(0).toLong() == 1, reply.get(1).toLong()));
    }

    /** Puts a running request's lease back after it vanished (no limit: the request holds the slot already). */
    Future<Void> restore(String leasesKey, String member, int leaseSeconds) {
        return acquireAt(clock.millis(), leasesKey, member, leaseSeconds, 0).mapEmpty();
    }

    /**
     * As {@link #acquire}, with the held lease when admitted (null when refused): the one way a caller takes a
     * lease it will refresh and release.
     */
    public Future<Taken> take(String leasesKey, String member, int leaseSeconds, long limit) {
        long now = clock.millis();
        return acquireAt(now, leasesKey, member, leaseSeconds, limit).map(result -> new Taken(result.admitted()
                ? new ConcurrencyLease(this, leasesKey, member, leaseSeconds, now + leaseSeconds * 1000L,
                        terms.renewMillis()) : null,
                result.count()));
    }

    /**
     * Outcome of {@link #take}.
     *
     * @param lease the held lease, or null when the limit was reached
     * @param count as {@link LeaseResult#count}
     */
    public record Taken(ConcurrencyLease lease, long count) {
        public boolean admitted() {
            return lease != null;
        }
    }

    /** Extends a lease still held (L2); {@code false} when it already expired or was released (not revived). */
    public Future<Boolean> refresh(String leasesKey, String member, int leaseSeconds) {
        long now = clock.millis();
        return REFRESH.call(store, List.of(leasesKey), List.of(member,
                        Long.toString(now + leaseSeconds * 1000L),
                        Long.toString(now),
                        Long.toString(keyTtlMillis(leaseSeconds))))
                .map(reply -> reply.toLong() == 1);
    }

    /** Gives a lease back (L3); returns the leases left. Unknown members are harmless. */
    public Future<Long> release(String leasesKey, String member) {
        return RELEASE.call(store, List.of(leasesKey),
                        List.of(member == null ? "" : member, Long.toString(clock.millis())))
                .map(reply -> reply.toLong());
    }

    /**
     * Gives a held lease back; when that fails, or earlier releases still wait, it is retried in order until Redis
     * takes it or the lease has expired anyway ({@link LeaseReleaseRetries}).
     */
    Future<Void> releaseHeld(String leasesKey, String member, long expiresAtMillis) {
        releasing.increment();
        return releaseOrRetry(leasesKey, member, expiresAtMillis).onComplete(done -> releasing.decrement());
    }

    /** Releases sent and not answered yet, plus failed ones waiting to be tried again (0 = all confirmed). */
    public long releasesPending() {
        return releasing.sum() + (retries == null ? 0 : retries.waiting());
    }

    private Future<Void> releaseOrRetry(String leasesKey, String member, long expiresAtMillis) {
        if (retries == null) {
            return release(leasesKey, member).mapEmpty();
        }
        LeaseReleaseRetries.Pending pending = new LeaseReleaseRetries.Pending(leasesKey, member, expiresAtMillis,
                () -> release(leasesKey, member));
        if (retries.queueing()) {
            retries.add(pending, null);
            return Future.succeededFuture();
        }
        return release(leasesKey, member).<Void>mapEmpty().recover(e -> {
            retries.add(pending, e);
            return Future.failedFuture(e);
        });
    }

    long now() {
        return clock.millis();
    }

    /** Unexpired leases (L4). */
    public Future<Long> count(String leasesKey) {
        return COUNT.call(store, List.of(leasesKey), List.of(Long.toString(clock.millis())))
                .map(reply -> reply.toLong());
    }

    /**
     * The legacy's 60-second cleanup (app.js, §4.1 L5): SCANs {@code concurrency:*}, skips the queue keys, drops
     * expired leases and deletes emptied keys and any non-ZSET key. Returns how many keys were deleted.
     */
    public Future<Long> sweepExpired() {
        return sweepFrom("0", 0);
    }

    private Future<Long> sweepFrom(String cursor, long deletedSoFar) {
        Request scan = Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg("concurrency:*").arg("COUNT").arg(500);
        return store.send(scan).compose(reply -> {
            String next = reply.get(0).toString();
            String now = Long.toString(clock.millis());
            List<Request> sweeps = new ArrayList<>();
            for (Response key : reply.get(1)) {
                String name = key.toString();
                if (!name.startsWith(QUEUE_PREFIX)) {
                    sweeps.add(SWEEP.evalRequest(List.of(name), List.of(now)));
                }
            }
            Future<List<Response>> swept = sweeps.isEmpty() ? Future.succeededFuture(List.of()) : store.batch(sweeps);
            return swept.compose(results -> {
                long deleted = deletedSoFar + results.stream().filter(r -> r.toLong() != 0).count();
                return "0".equals(next) ? Future.succeededFuture(deleted) : sweepFrom(next, deleted);
            });
        });
    }
}
