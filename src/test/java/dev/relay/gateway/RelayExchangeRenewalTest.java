package dev.relay.gateway;

import static dev.relay.testsupport.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.store.ConcurrencyLease;
import dev.relay.store.ConcurrencyLeases;
import dev.relay.store.LeaseTerms;
import dev.relay.testsupport.TestRedis;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** While a request lives its leases are renewed at the lease's own interval; once finished they are gone. */
class RelayExchangeRenewalTest {
    private static final String KEY = "concurrency:exchange-renewal";
    private TestRedis redis;

    @BeforeEach
    void setUp() {
        redis = new TestRedis().flush();
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    @Test
    void aLongRequestKeepsItsLeaseAliveUntilItFinishes() {
        ConcurrencyLeases leases = new ConcurrencyLeases(redis.store, Clock.systemUTC(), null, new LeaseTerms(10, 1));
        ConcurrencyLease lease = TestRedis.await(leases.take(KEY, "request-1", 1)).lease();
        double first = redis.call("ZSCORE", KEY, "request-1").toDouble();
        RelayExchange exchange = new RelayExchange(redis.vertx);
        exchange.hold(lease);

        eventually(() -> redis.call("ZSCORE", KEY, "request-1").toDouble() > first + 1_500,
                "renewed, every second here (the lease's renewal), not every 30 s");

        exchange.finish();
        eventually(() -> redis.call("ZCARD", KEY).toLong() == 0, "released");
        assertEquals(0, TestRedis.await(leases.count(KEY)));
    }
}
