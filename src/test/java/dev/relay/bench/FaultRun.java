package dev.relay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code scripts/faults.sh}: the fault scenarios of {@link FaultScenarios} at 64 connections (or
 * {@code --connections N}) against the built jar, one line per scenario on stdout.
 */
public final class FaultRun {
    private FaultRun() {
    }

    public static void main(String[] args) throws Exception {
        int connections = 64;
        int outageSeconds = 5;
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        List<String> only = List.of("restart", "freeze", "kill", "sigterm");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--outage" -> outageSeconds = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                case "--scenarios" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--connections N, --outage S, --jar PATH, "
                        + "--scenarios restart,freeze,kill,sigterm)");
            }
        }
        Path dir = Files.createDirectories(Path.of("target", "faults")).toAbsolutePath();
        List<String> lines = new ArrayList<>();
        try (FaultRig rig = new FaultRig(dir, jar)) {
            FaultScenarios scenarios = new FaultScenarios(rig, connections, Duration.ofSeconds(2));
            int port = FaultScenarios.freePort();
            GatewayProcess gateway = rig.gateway("gateway-1", port, scenarios.gatewayEnv());
            if (only.contains("restart")) {
                report(lines, scenarios.redisRestart(gateway, Duration.ofSeconds(outageSeconds)));
            }
            if (only.contains("freeze")) {
                report(lines, scenarios.redisFreeze(gateway, Duration.ofSeconds(outageSeconds)));
            }
            if (only.contains("kill")) {
                report(lines, scenarios.killAndRestart(gateway, "gateway-1"));
            }
            if (only.contains("sigterm")) {
                GatewayProcess second = rig.gateway("gateway-2", FaultScenarios.freePort(), scenarios.gatewayEnv());
                report(lines, scenarios.sigtermWithStreams(second));
            }
        }
        System.out.println();
        System.out.println("connections " + connections + ", gateway logs in " + dir);
        lines.forEach(System.out::println);
    }

    private static void report(List<String> lines, FaultScenarios.Outcome outcome) {
        String line = outcome.line();
        lines.add(line);
        System.out.println(line);
        System.out.flush();
    }
}
