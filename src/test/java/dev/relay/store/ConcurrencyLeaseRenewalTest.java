package dev.relay.store;

import static dev.relay.testsupport.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.testsupport.TestRedis;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A running request's lease is renewed, put back when it vanished, and never outlives its release. */
class ConcurrencyLeaseRenewalTest {
    private static final String KEY = "concurrency:renewal-key";
    private TestRedis redis;
    private ConcurrencyLeases leases;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
        leases = new ConcurrencyLeases(redis.store, Clock.systemUTC(), null, new LeaseTerms(30, 10));
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void everyLeaseHasTheConfiguredLengthAndRenewal() {
        long before = System.currentTimeMillis();
        ConcurrencyLease lease = TestRedis.await(leases.take(KEY, "m1", 5)).lease();
        double score = redis.call("ZSCORE", KEY, "m1").toDouble();
        assertTrue(score >= before + 30_000 && score <= System.currentTimeMillis() + 30_000, "score " + score);
        assertEquals(10_000, lease.renewMillis());
        long ttl = redis.call("PTTL", KEY).toLong();
        assertTrue(ttl > 55_000 && ttl <= 60_000, "key TTL max((30 + 30) s, 60 s): " + ttl);
    }

    @Test
    void aRenewalPutsBackALeaseThatVanishedWhileTheRequestRuns() {
        ConcurrencyLease lease = TestRedis.await(leases.take(KEY, "m1", 5)).lease();
        redis.call("DEL", KEY); // what the legacy's shutdown does to every concurrency:* key
        lease.refresh();
        eventually(() -> redis.call("ZSCORE", KEY, "m1") != null, "the lease is back");
        assertTrue(redis.call("ZSCORE", KEY, "m1").toDouble() > System.currentTimeMillis() + 20_000);
        assertTrue(redis.call("PTTL", KEY).toLong() > 0, "the key has its TTL again");
    }

    @Test
    void aReleaseAskedWhileARenewalRunsLandsAfterItAndNothingIsPutBack() {
        for (int i = 0; i < 50; i++) {
            ConcurrencyLease lease = TestRedis.await(leases.take(KEY, "m" + i, 0)).lease();
            redis.call("ZREM", KEY, "m" + i); // vanished: the renewal would put it back
            lease.refresh();
            lease.release();
            lease.refresh(); // after the release: ignored
        }
        eventually(() -> leases.releasesPending() == 0, "every release answered");
        assertEquals(0, redis.call("ZCARD", KEY).toLong(), "no released lease was put back");
    }

    @Test
    void theTermsAreClampedToALeaseOfAtLeastTenSecondsRenewedAtLeastThreeTimesPerLease() {
        assertEquals(new LeaseTerms(10, 3), new LeaseTerms(1, 30));
        assertEquals(100, new LeaseTerms(300, 500).renewSeconds());
        assertEquals(1, new LeaseTerms(300, 0).renewSeconds());
        assertEquals(LeaseTerms.LEGACY, new LeaseTerms(300, 30));
    }
}
