package dev.relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14's faults on real processes on loopback (the same scenarios {@code scripts/faults.sh} runs at 64
 * connections, here at 8): a {@code redis-server} shut down and restarted or frozen under load, a gateway process of
 * the built jar (built before the tests, pom.xml) killed -9 and started again, and SIGTERM with streams in flight.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayFaultTest {
    private static final int CONNECTIONS = 8;
    private static final Duration OUTAGE = Duration.ofSeconds(3);

    private FaultRig rig;
    private FaultScenarios scenarios;
    private GatewayProcess gateway;

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "fault-test")).toAbsolutePath();
        rig = new FaultRig(dir, Path.of("target", "quarkus-app", "quarkus-run.jar"));
        scenarios = new FaultScenarios(rig, CONNECTIONS, Duration.ofSeconds(1));
        gateway = rig.gateway("gateway", FaultScenarios.freePort(), scenarios.gatewayEnv());
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    @Order(1)
    void aRedisRestartUnderLoadIsAnswered503AndLeavesNoLeaseAndExactUsage() throws Exception {
        FaultScenarios.Outcome o = scenarios.redisRestart(gateway, OUTAGE);
        assertEquals(0, o.others(), o.line());
        assertTrue(o.answers().getOrDefault("503", 0L) > 0, "the outage was answered with 503s: " + o.line());
        assertTrue(o.extra().contains("503 Retry-After=5 {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"Storage unavailable, retry shortly\"}}"), o.line());
        assertEquals(0, o.leasesAfter(), o.line());
        assertEquals(o.billed(), o.booked(), o.line());
    }

    @Test
    @Order(2)
    void aFrozenRedisDelaysRequestsAndLeavesNoLeaseAndExactUsage() throws Exception {
        FaultScenarios.Outcome o = scenarios.redisFreeze(gateway, OUTAGE);
        assertEquals(0, o.others(), o.line());
        assertEquals(0, o.leasesAfter(), o.line());
        assertEquals(o.billed(), o.booked(), o.line());
    }

    @Test
    @Order(3)
    void aKilledGatewaysLeasesLapseWithinTheLeaseAndNothingIsBookedTwice() throws Exception {
        FaultScenarios.Outcome o = scenarios.killAndRestart(gateway, "gateway");
        assertTrue(o.leasesZeroAfterMs() >= 0
                && o.leasesZeroAfterMs() <= (FaultScenarios.LEASE_SECONDS + 5) * 1000L, o.line());
        // nothing booked twice, and the new process books; the usage of requests answered in the last moments
        // before the kill can still have been in the dead process's memory (billing follows the answer, see
        // docs/operations.md "Fault scenarios"), so exactness is not asserted here
        assertTrue(o.booked() <= o.billed(), o.line());
        assertTrue(o.booked() > 0, o.line());
        assertTrue(o.answers().getOrDefault("200", 0L) > 0, o.line());
    }

    @Test
    @Order(4)
    void sigtermEndsStreamsInFlightWithAnErrorEventBillsThemAndReleasesTheirLeases() throws Exception {
        GatewayProcess second = rig.gateway("second", FaultScenarios.freePort(), scenarios.gatewayEnv());
        FaultScenarios.Outcome o = scenarios.sigtermWithStreams(second);
        assertEquals(Map.of(FaultLoad.CUT, (long) CONNECTIONS), o.answers(), o.line());
        assertEquals(0, o.leasesAfter(), o.line());
        assertEquals(o.billed(), o.booked(), o.line());
        assertEquals(CONNECTIONS, o.billed(), o.line());
        assertTrue(o.extra().contains("a new request meanwhile: 503 Retry-After=1 {\"type\":\"error\",\"error\":"
                + "{\"type\":\"api_error\",\"message\":\"Server is shutting down, retry shortly\"}}"), o.line());
    }
}
