package dev.relay.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.store.RedisClients;
import dev.relay.store.RedisStore;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.TestRedis;
import dev.relay.usage.PostgresPool;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Vert.x's Redis and PostgreSQL clients register their client meters once per pooled connection; a gauge of the same
 * name registered again is refused with a WARN ("Gauge already registered '.queue.size'") and then shows one
 * connection only. With several connections of each pool open at once, the scrape holds no unnamed {@code m__*}
 * meter, no per-connection gauge, the clients' counters once under their names, and exactly one
 * {@code relay_redis_pending_requests}, counting the whole Redis pool.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class ClientConnectionGaugesTest {
    static final int BLOCKED = 3;

    @Inject
    RedisStore store;

    @Inject
    PostgresPool postgres;

    static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    static List<String> series(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).toList();
    }

    static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void bothPoolsAreExportedOnceUnderTheirNamesWithTheRedisPendingCountOfAllConnections() {
        List<SqlConnection> sql = new ArrayList<>();
        for (int i = 0; i < BLOCKED; i++) {
            sql.add(TestRedis.await(postgres.pool().getConnection())); // a connection of its own each
        }
        sql.forEach(c -> TestRedis.await(c.query("SELECT 1").execute()));
        sql.forEach(c -> TestRedis.await(c.close()));
        String list = "metrics-test:" + UUID.randomUUID();
        // each BLPOP holds a connection of its own until an element arrives: BLOCKED connections open at once
        List<Future<Response>> blocked = new ArrayList<>();
        for (int i = 0; i < BLOCKED; i++) {
            blocked.add(store.send(Request.cmd(Command.BLPOP).arg(list).arg(10)));
        }
        await(() -> series(scrape(), RedisClients.PENDING_METRIC).stream().anyMatch(l -> value(l) == BLOCKED),
                BLOCKED + " pending requests exported");

        String busy = scrape();
        assertEquals(1, series(busy, RedisClients.PENDING_METRIC).size(), busy);
        assertTrue(busy.lines().noneMatch(l -> l.startsWith("m__")), "meters without a name:\n" + busy);
        for (String client : List.of("redis", "sql")) {
            assertTrue(series(busy, client + "_queue_size").isEmpty() && series(busy, client + "_current").isEmpty(),
                    "per-connection gauges are not exported: " + client);
            assertEquals(1, series(busy, client + "_completed_total").size(), "the client's counters are: " + client);
        }

        try (TestRedis redis = new TestRedis()) {
            for (int i = 0; i < BLOCKED; i++) {
                redis.call("LPUSH", list, "x" + i);
            }
        }
        blocked.forEach(TestRedis::await);
        assertEquals(0, store.pendingRequests());
        assertEquals(0.0, value(series(scrape(), RedisClients.PENDING_METRIC).get(0)));
    }
}
