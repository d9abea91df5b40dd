package dev.relay.bench;

import dev.relay.fake.Reply;
import dev.relay.testsupport.RedisServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The fault scenarios of issue 14 against gateway processes of the built jar, each ending in one {@link Outcome}:
 * Redis shut down and restarted under load, Redis frozen (SIGSTOP) under load, a gateway killed (-9) under load and
 * started again, and SIGTERM with streams in flight. Shared by {@code GatewayFaultTest} (few connections) and
 * {@code scripts/faults.sh} (64 connections). The faults themselves last a fixed time (that is the scenario); every
 * wait for their consequences is a condition polled up to a deadline.
 */
final class FaultScenarios {
    /** Lease length of the gateways here: short, so "a dead process's leases lapse" is seen within the run. */
    static final int LEASE_SECONDS = 10;
    static final int RENEW_SECONDS = 2;
    static final Duration SETTLE = Duration.ofSeconds(60);
    /** How long booked usage may take to reach Redis after the load (a spooled backlog is replayed first). */
    static final Duration BOOKED_WITHIN = Duration.ofSeconds(20);

    private final FaultRig rig;
    private final int connections;
    /** Load before a fault and after recovery. */
    private final Duration loaded;

    FaultScenarios(FaultRig rig, int connections, Duration loaded) {
        this.rig = rig;
        this.connections = connections;
        this.loaded = loaded;
    }

    /**
     * What a scenario saw.
     *
     * @param answers outcome → count (HTTP status, "200 cut", "no answer")
     * @param others answers other than 200 and 503 (for the Redis scenarios; "no answer" counts as other)
     * @param leasesAfter live leases at the check point ({@code leasesAt} describes it)
     * @param leasesZeroAfterMs how long after the reference point leases reached 0, -1 if not within the wait
     * @param booked requests the gateway booked during the scenario; {@code billed}: 200s with usage delivered
     */
    record Outcome(String name, Map<String, Long> answers, long others, long leasesAfter, String leasesAt,
            long leasesZeroAfterMs, long booked, long billed, String extra) {
        String line() {
            return String.format("%-34s answers %s;%s live leases %s: %d (0 when checked %s); "
                    + "usage booked %d for %d billed 200s%s", name, answers,
                    others < 0 ? "" : " other than 200/503: " + others + ";", leasesAt, leasesAfter,
                    leasesZeroAfterMs < 0 ? "never" : String.format("%.1f s after", leasesZeroAfterMs / 1000.0),
                    booked, billed, extra.isEmpty() ? "" : "; " + extra);
        }
    }

    Map<String, String> gatewayEnv() {
        return Map.of("RELAY_LEASE_SECONDS", String.valueOf(LEASE_SECONDS), "RELAY_LEASE_RENEW_SECONDS",
                String.valueOf(RENEW_SECONDS), "RELAY_SHUTDOWN_DRAIN_SECONDS", "3");
    }

    /** Redis shut down (SIGTERM) for {@code down} under load, then started again. */
    Outcome redisRestart(GatewayProcess gateway, Duration down) throws Exception {
        return redisFault("redis restart (" + down.toSeconds() + " s down)", gateway, down, false, rig.redis::stop,
                rig.redis::start);
    }

    /** Redis frozen (SIGSTOP) for {@code down} under load, then thawed (SIGCONT). */
    Outcome redisFreeze(GatewayProcess gateway, Duration down) throws Exception {
        return redisFault("redis frozen (" + down.toSeconds() + " s SIGSTOP)", gateway, down, true,
                rig.redis::freeze, rig.redis::thaw);
    }

    private Outcome redisFault(String name, GatewayProcess gateway, Duration down, boolean frozen, Runnable fault,
            Runnable heal) throws Exception {
        rig.upstream.defaultReply(Reply.ok().chunks(4).eventDelayMs(10).delayMs(20));
        long bookedBefore = rig.bookedRequests();
        FaultLoad load = new FaultLoad(gateway.port(), FaultRig.clientHeaders(), connections).start();
        try {
            awaitTrue(() -> load.count("200") >= connections, Duration.ofSeconds(60), "load running");
            Thread.sleep(loaded.toMillis()); // load before the fault, so that leases and usage are in flight
            fault.run();
            long faultAt = System.nanoTime();
            String during = frozen ? "" : "during the outage: " + probe(gateway.port());
            sleepUntil(faultAt + down.toNanos()); // the outage itself
            heal.run();
            long back = System.nanoTime();
            awaitTrue(() -> gateway.readiness() == 200, SETTLE, "gateway ready again");
            long okBefore = load.count("200");
            awaitTrue(() -> load.count("200") >= okBefore + connections, SETTLE, "200s again after the fault");
            Thread.sleep(loaded.toMillis());
            load.stop();
            long zeroAfter = awaitZeroLeases(back, Duration.ofSeconds(10));
            sleepUntil(back + TimeUnit.SECONDS.toNanos(10));
            long leases = rig.liveLeases();
            long booked = awaitBooked(bookedBefore, load.billed());
            long others = load.total() - load.count("200") - load.count("503");
            return new Outcome(name, load.outcomes(), others, leases, "10 s after Redis returned", zeroAfter,
                    booked, load.billed(), during);
        } finally {
            heal.run();
            load.close();
        }
    }

    /**
     * kill -9 of a gateway under load, then a new one on the same port and data: leases of the dead one lapse
     * within the lease, usage stays exact.
     */
    Outcome killAndRestart(GatewayProcess gateway, String name) throws Exception {
        rig.upstream.defaultReply(Reply.ok().chunks(4).eventDelayMs(10).delayMs(20));
        long bookedBefore = rig.bookedRequests();
        FaultLoad load = new FaultLoad(gateway.port(), FaultRig.clientHeaders(), connections).start();
        GatewayProcess again = null;
        try {
            awaitTrue(() -> load.count("200") >= connections, Duration.ofSeconds(60), "load running");
            Thread.sleep(loaded.toMillis());
            gateway.kill();
            long killed = System.nanoTime();
            List<String> orphaned = rig.liveLeaseMembers();
            again = rig.gateway(name, gateway.port(), gatewayEnv());
            long okBefore = load.count("200");
            awaitTrue(() -> load.count("200") >= okBefore + connections, SETTLE, "200s from the new process");
            Thread.sleep(loaded.toMillis());
            load.stop();
            // the dead process's own leases, not the new process's (its load may still be draining)
            long zeroAfter = awaitLapsed(orphaned, killed, Duration.ofSeconds(LEASE_SECONDS + 30));
            long booked = awaitBooked(bookedBefore, load.billed());
            return new Outcome("kill -9 and restart", load.outcomes(), -1, rig.stillLive(orphaned), "after the kill",
                    zeroAfter, booked, load.billed(), orphaned.size() / 2 + " leases live right after the kill, lease "
                            + LEASE_SECONDS + " s");
        } finally {
            load.close();
            if (again != null) {
                again.close();
            }
        }
    }

    /** SIGTERM while {@code connections} slow streams run: they end at the drain deadline with an error event. */
    Outcome sigtermWithStreams(GatewayProcess gateway) throws Exception {
        rig.upstream.defaultReply(Reply.ok().chunks(400).eventDelayMs(50)); // ~20 s per stream
        long bookedBefore = rig.bookedRequests();
        FaultLoad streams = new FaultLoad(gateway.port(), FaultRig.clientHeaders(), connections).streamsOnly()
                .start();
        try {
            awaitTrue(() -> rig.upstream.inFlight() >= connections, Duration.ofSeconds(60), "streams running");
            long leasesHeld = rig.liveLeases();
            long signalled = System.nanoTime();
            gateway.terminate();
            awaitTrue(() -> gateway.readiness() != 200, Duration.ofSeconds(10), "readiness down");
            long readinessDownMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            String refused = probe(gateway.port());
            Integer exit = gateway.awaitExit(Duration.ofSeconds(60));
            long exitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            streams.stop();
            long leases = rig.liveLeases();
            long booked = awaitBooked(bookedBefore, streams.billed());
            return new Outcome("SIGTERM with " + connections + " streams", streams.outcomes(), -1, leases,
                    "after exit", leases == 0 ? exitedMs : -1, booked, streams.billed(), leasesHeld
                            + " leases held at SIGTERM; readiness down after " + readinessDownMs + " ms; exit code "
                            + exit + " after " + exitedMs + " ms (drain 3 s); a new request meanwhile: " + refused);
        } finally {
            streams.close();
        }
    }

    /** One request outside the load: {@code "<status> Retry-After=<value> <body>"}, or the failure. */
    static String probe(int port) {
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5)).build();
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + RelayBenchmark.GATEWAY_PATH))
                    .timeout(Duration.ofSeconds(30))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(RelayBenchmark.requestBody(false)));
            FaultRig.clientHeaders().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Connection") && !k.equalsIgnoreCase("Content-Length")) {
                    request.header(k, v);
                }
            });
            java.net.http.HttpResponse<String> r = http.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " Retry-After=" + r.headers().firstValue("retry-after").orElse("-") + " "
                    + r.body();
        } catch (Exception e) {
            return "no answer: " + e;
        }
    }

    /** Polls the booked requests until they reach {@code billed} more than before (or the wait ends). */
    private long awaitBooked(long before, long billed) throws Exception {
        long deadline = System.nanoTime() + BOOKED_WITHIN.toNanos();
        long booked = rig.bookedRequests() - before;
        while (booked < billed && System.nanoTime() < deadline) {
            Thread.sleep(100);
            booked = rig.bookedRequests() - before;
        }
        return booked;
    }

    /** Milliseconds from {@code since} until none of {@code members} counts any more; -1 if not within the limit. */
    private long awaitLapsed(List<String> members, long since, Duration limit) throws Exception {
        long deadline = since + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (rig.stillLive(members) == 0) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
            Thread.sleep(100);
        }
        return -1;
    }

    private long awaitZeroLeases(long since, Duration limit) throws Exception {
        long deadline = since + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (rig.liveLeases() == 0) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
            }
            Thread.sleep(100);
        }
        return -1;
    }

    static void awaitTrue(Callable<Boolean> condition, Duration limit, String what) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within " + limit.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    static int freePort() {
        return RedisServerProcess.freePort();
    }
}
