package dev.relay.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command-line options of {@link RelayBenchmark}; every phase is bounded by {@code warmup + duration}. */
record BenchOptions(boolean directOnly, Duration warmup, Duration duration, int connections, int rssConnections,
        int chunks, Path jar, Path out, List<String> gatewayJvmOptions, int loadEventLoops, int fakeEventLoops, String gatewayMain,
        int slowStreams, Duration slowDuration, int latencyRate) {

    static final String USAGE = """
            usage: RelayBenchmark [--direct-only] [--warmup S] [--duration S] [--connections N]
                                  [--rss-connections N] [--chunks N] [--jar PATH] [--out PATH]
                                  [--gateway-jvm-opts "OPTS"] [--load-loops N] [--fake-loops N]
                                  [--gateway-main CLASS  (harness self-test: a stand-in instead of the jar)]
                                  [--slow-streams N  (adds the slow-stream memory phase; off by default)]
                                  [--slow-duration S  (length of that phase, default 30)]
                                  [--latency-rate N  (open-loop latency phases at N req/s, default 500; 0 = off)]""";

    static BenchOptions parse(String[] args) {
        boolean directOnly = false;
        long warmup = 5;
        long duration = 15;
        int connections = 16;
        int rssConnections = 64;
        int chunks = 10;
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Path out = Path.of("target", "bench-result.md");
        List<String> jvm = new ArrayList<>();
        int loadLoops = 1;
        int fakeLoops = 1;
        String gatewayMain = null;
        int slowStreams = 0;
        long slowDuration = 30;
        int latencyRate = 500;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--direct-only" -> directOnly = true;
                case "--warmup" -> warmup = Long.parseLong(value(args, ++i, a));
                case "--duration" -> duration = Long.parseLong(value(args, ++i, a));
                case "--connections" -> connections = Integer.parseInt(value(args, ++i, a));
                case "--rss-connections" -> rssConnections = Integer.parseInt(value(args, ++i, a));
                case "--chunks" -> chunks = Integer.parseInt(value(args, ++i, a));
                case "--jar" -> jar = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--gateway-jvm-opts" -> jvm = Arrays.stream(value(args, ++i, a).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).toList();
                case "--load-loops" -> loadLoops = Integer.parseInt(value(args, ++i, a));
                case "--fake-loops" -> fakeLoops = Integer.parseInt(value(args, ++i, a));
                case "--gateway-main" -> gatewayMain = value(args, ++i, a);
                case "--slow-streams" -> slowStreams = Integer.parseInt(value(args, ++i, a));
                case "--slow-duration" -> slowDuration = Long.parseLong(value(args, ++i, a));
                case "--latency-rate" -> latencyRate = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        if (warmup < 0 || duration < 1 || duration > 600 || warmup > 600 || connections < 1 || rssConnections < 1
                || connections > 1024 || rssConnections > 1024 || slowStreams < 0 || slowStreams > 4000
                || slowDuration < 5 || slowDuration > 300 || latencyRate < 0 || latencyRate > 20_000) {
            throw new IllegalArgumentException("out of range: duration 1..600 s, warm-up 0..600 s, "
                    + "connections 1..1024, slow streams 0..4000, slow duration 5..300 s, latency rate 0..20000\n" + USAGE);
        }
        return new BenchOptions(directOnly, Duration.ofSeconds(warmup), Duration.ofSeconds(duration), connections,
                rssConnections, chunks, jar, out, jvm, loadLoops, fakeLoops, gatewayMain, slowStreams,
                Duration.ofSeconds(slowDuration), latencyRate);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
