package dev.relay.store;

import static dev.relay.testsupport.Eventually.eventually;
import static dev.relay.testsupport.TestRedis.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.LogCapture;
import dev.relay.testsupport.ManualClock;
import dev.relay.testsupport.RestartableRedis;
import dev.relay.testsupport.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real redis-server stopped and started again: releases that failed meanwhile are applied once it is back. */
class LeaseReleaseRetriesTest {
    private static final String KEY = ConcurrencyLeases.apiKeyLeases("key-1");
    private static final String ACCOUNT = ConcurrencyLeases.consoleAccountLeases("acct-1");

    @TempDir
    Path data;
    RestartableRedis server;
    TestRedis redis;
    ManualClock clock;
    SimpleMeterRegistry meters;
    LeaseReleaseRetries retries;
    ConcurrencyLeases leases;

    @BeforeEach
    void setUp() {
        server = new RestartableRedis(data);
        redis = new TestRedis(server.connectionString());
        clock = ManualClock.atMillis(System.currentTimeMillis());
        build(LeaseReleaseRetries.CAPACITY);
    }

    private void build(int capacity) {
        if (retries != null) {
            retries.close();
        }
        meters = new SimpleMeterRegistry();
        retries = new LeaseReleaseRetries(redis.vertx, clock, meters, capacity);
        leases = new ConcurrencyLeases(redis.store, clock, retries);
    }

    @AfterEach
    void tearDown() {
        retries.close();
        redis.close();
        server.close();
    }

    @Test
    void releasesThatFailedDuringAnOutageAreAppliedSoonAfterRedisIsBack() {
        List<ConcurrencyLease> held = take(KEY, 20, ConcurrencyLeases.API_KEY_LEASE_SECONDS);
        held.addAll(take(ACCOUNT, 10, ConcurrencyLeases.API_KEY_LEASE_SECONDS));
        try (LogCapture log = LogCapture.of(LeaseReleaseRetries.class, Level.INFO)) {
            server.stop();
            held.forEach(ConcurrencyLease::release);
            eventually(() -> waiting() == 30, "every release waits");

            server.start();
            eventually(() -> waiting() == 0, "the waiting releases were applied");

            assertEquals(0, await(leases.count(KEY)), "no key lease left, long before the lease TTL");
            assertEquals(0, await(leases.count(ACCOUNT)));
            assertEquals(0L, redis.call("EXISTS", KEY, ACCOUNT).toLong(), "emptied lease sets are deleted");
            assertEquals(0, givenUp(LeaseReleaseRetries.EXPIRED) + givenUp(LeaseReleaseRetries.OVERFLOW));
            List<String> lines = log.lines();
            assertEquals(2, lines.size(), "one line when releases fail, one when they drain: " + lines);
            assertTrue(lines.get(0).contains("failing") && lines.get(1).contains("drained"), lines.toString());
        }
    }

    @Test
    void aReleaseWhileOthersWaitQueuesBehindThemAndAllLand() {
        List<ConcurrencyLease> held = take(KEY, 3, ConcurrencyLeases.API_KEY_LEASE_SECONDS);
        server.stop();
        held.get(0).release();
        eventually(() -> waiting() == 1, "the first release waits");
        held.get(1).release();
        held.get(2).release();
        assertEquals(3, waiting(), "later releases queue behind the first at once, without trying Redis");

        server.start();
        eventually(() -> waiting() == 0, "drained");
        assertEquals(0, await(leases.count(KEY)));
    }

    @Test
    void theQueueIsBoundedAndGivesUpTheOldestWhenFull() {
        build(3);
        List<ConcurrencyLease> held = take(KEY, 5, ConcurrencyLeases.API_KEY_LEASE_SECONDS);
        server.stop();
        held.forEach(ConcurrencyLease::release);
        eventually(() -> givenUp(LeaseReleaseRetries.OVERFLOW) == 2, "two given up for room");
        assertEquals(3, waiting());

        server.start();
        eventually(() -> waiting() == 0, "drained");
        assertEquals(2, await(leases.count(KEY)), "the two given up stay until their lease ends");
    }

    @Test
    void aReleaseWhoseLeaseExpiredMeanwhileIsGivenUp() {
        List<ConcurrencyLease> held = take(KEY, 2, ConcurrencyLeases.API_KEY_LEASE_SECONDS);
        server.stop();
        held.forEach(ConcurrencyLease::release);
        eventually(() -> waiting() == 2, "both wait");

        clock.advanceMillis(ConcurrencyLeases.API_KEY_LEASE_SECONDS * 1000L);
        eventually(() -> waiting() == 0, "expired releases dropped while Redis is still down");
        assertEquals(2, givenUp(LeaseReleaseRetries.EXPIRED));
    }

    @Test
    void aRefreshedLeaseIsRetriedUntilItsNewExpiry() {
        List<ConcurrencyLease> held = take(KEY, 1, ConcurrencyLeases.API_KEY_LEASE_SECONDS);
        clock.advanceMillis(200_000);
        held.get(0).refresh();
        eventually(() -> zscore(KEY, held.get(0).member()) == clock.millis() + 300_000, "refreshed");
        server.stop();
        clock.advanceMillis(200_000); // past the first expiry, before the refreshed one
        held.get(0).release();
        eventually(() -> waiting() == 1, "waits");

        server.start();
        eventually(() -> waiting() == 0, "drained");
        assertEquals(0, givenUp(LeaseReleaseRetries.EXPIRED));
        assertEquals(0L, redis.call("EXISTS", KEY).toLong(), "released, not dropped as expired");
    }

    @Test
    void waitingReleasesAreAppliedInTheOrderTheyFailed() {
        List<String> applied = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean redisUp = new AtomicBoolean();
        for (int i = 0; i < 5; i++) {
            String member = "m" + i;
            retries.add(new LeaseReleaseRetries.Pending(KEY, member, clock.millis() + 60_000, () -> {
                if (!redisUp.get()) {
                    return Future.failedFuture("down");
                }
                applied.add(member);
                return Future.succeededFuture();
            }), new IllegalStateException("down"));
        }
        eventually(() -> waiting() == 5, "all wait");

        redisUp.set(true);
        eventually(() -> waiting() == 0, "drained");
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), applied);
    }

    private List<ConcurrencyLease> take(String key, int n, int leaseSeconds) {
        List<ConcurrencyLease> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ConcurrencyLeases.Taken taken = await(leases.take(key, "req-" + key + "-" + i, leaseSeconds, 0));
            held.add(taken.lease());
        }
        return held;
    }

    private long zscore(String key, String member) {
        return redis.call("ZSCORE", key, member).toLong();
    }

    private int waiting() {
        return (int) meters.get(LeaseReleaseRetries.WAITING).gauge().value();
    }

    private long givenUp(String reason) {
        return (long) meters.get(LeaseReleaseRetries.GIVEN_UP).tag("reason", reason).counter().count();
    }
}
