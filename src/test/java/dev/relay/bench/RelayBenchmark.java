package dev.relay.bench;

import dev.relay.fake.FakeAnthropic;
import dev.relay.local.EmbeddedPostgresServer;
import dev.relay.local.EmbeddedRedis;
import dev.relay.store.LegacyClock;
import dev.relay.store.RedisClients;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what the gateway adds to a Claude Code request: the same request is sent straight to the fake upstream
 * and through the gateway ({@code /api/v1/messages}), non-stream and streaming, with a closed-loop load generator
 * on 127.0.0.1 only. Starts its own embedded Redis and PostgreSQL, the fake upstream (in this JVM) and the gateway
 * (its own JVM), seeds one API key and one shared Console account, and stops everything at the end.
 * See docs/benchmarks.md.
 */
public final class RelayBenchmark {
    static final String ENCRYPTION_KEY = "bench-encryption-key-32-bytes!!!";
    static final String JWT_SECRET = "bench-jwt-secret-0123456789abcdef-0123456789";
    static final String GATEWAY_PATH = "/api/v1/messages?beta=true";
    static final String UPSTREAM_PATH = "/v1/messages?beta=true";
    /** A slow stream lasts ~6.3 s; a request may also wait for an upstream connection in the gateway. */
    static final long SLOW_REQUEST_TIMEOUT_MS = 60_000;
    /** The token endpoint's answer time in the refresh phase. */
    static final long REFRESH_DELAY_MS = 2000;

    private final BenchOptions options;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ResultTable table = new ResultTable();
    private final List<String> conditions = new ArrayList<>();

    RelayBenchmark(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        RelayBenchmark bench = new RelayBenchmark(options);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::closeAll, "bench-cleanup"));
        startWatchdog(options);
        int code;
        try {
            String report = bench.run();
            System.out.println();
            System.out.println(report);
            Files.createDirectories(options.out().toAbsolutePath().getParent());
            Files.writeString(options.out(), report);
            System.out.println("written to " + options.out());
            code = 0;
        } catch (BenchmarkFailure e) {
            System.err.println("BENCHMARK FAILED: " + e.getMessage());
            code = 1;
        } catch (Exception e) {
            System.err.println("BENCHMARK FAILED: " + e);
            e.printStackTrace();
            code = 1;
        } finally {
            bench.closeAll();
        }
        System.exit(code);
    }

    /** A clear, expected failure (e.g. the gateway has no relay route yet): reported without a stack trace. */
    static final class BenchmarkFailure extends Exception {
        BenchmarkFailure(String message) {
            super(message);
        }
    }

    String run() throws Exception {
        int phases = (options.directOnly() ? 2 : options.slowStreams() > 0 ? 9 : 8)
                + (options.latencyRate() > 0 ? (options.directOnly() ? 2 : 4) : 0);
        conditions.add("run at " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + "; load average at start: " + loadAverage());
        conditions.add("each phase: " + options.warmup().toSeconds() + " s warm-up (not measured), then "
                + options.duration().toSeconds() + " s measured; closed loop, keep-alive, one request in flight "
                + "per connection; " + phases + " phases"
                + (options.latencyRate() > 0 ? "; the `@" + options.latencyRate() + "/s` phases are an open loop at "
                        + "that fixed rate (3 s warm-up, 1 ms send ticks, latency from the tick that sends a request)" : ""));
        conditions.add("stream phases: " + options.chunks() + " content_block_delta events per response");
        conditions.add("fake upstream and load generator share the harness JVM (" + options.fakeEventLoops()
                + " + " + options.loadEventLoops() + " event loops); all traffic on 127.0.0.1");

        FakeAnthropic fake = new FakeAnthropic(options.fakeEventLoops());
        resources.push(fake);
        fake.recordRequests(false);
        fake.defaultReply(dev.relay.fake.Reply.ok().chunks(options.chunks()));
        String upstreamUrl = fake.start();
        log("fake upstream on " + upstreamUrl);

        LoadGenerator load = new LoadGenerator(options.loadEventLoops());
        resources.push(load);

        Map<String, String> upstreamHeaders = upstreamHeaders();
        LoadResult directJson = phase(load, spec("direct non-stream", fake.port(), UPSTREAM_PATH, upstreamHeaders,
                false, options.connections()));
        table.add(directJson, null, null);
        LoadResult directStream = phase(load, spec("direct stream", fake.port(), UPSTREAM_PATH, upstreamHeaders,
                true, options.connections()));
        table.add(directStream, null, null);
        LoadResult directJsonRate = null;
        LoadResult directStreamRate = null;
        if (options.latencyRate() > 0) {
            directJsonRate = phase(load, rateSpec("direct non-stream", fake.port(), UPSTREAM_PATH, upstreamHeaders,
                    false));
            table.add(directJsonRate, null, null);
            directStreamRate = phase(load, rateSpec("direct stream", fake.port(), UPSTREAM_PATH, upstreamHeaders,
                    true));
            table.add(directStreamRate, null, null);
        }

        if (options.directOnly()) {
            table.note("gateway phases skipped (--direct-only)");
            return finish();
        }

        EmbeddedRedis redisServer = EmbeddedRedis.start(null);
        resources.push(redisServer);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null);
        resources.push(postgres);
        Vertx vertx = Vertx.vertx();
        resources.push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        Redis redisClient = Redis.createClient(vertx,
                RedisClients.options("redis://127.0.0.1:" + redisServer.port() + "/0", 2));
        RedisAPI redis = RedisAPI.api(redisClient);
        LegacySeed.write(redis, ENCRYPTION_KEY, upstreamUrl,
                new LegacyClock(8, ZoneOffset.UTC).date(Instant.now()));
        log("redis on " + redisServer.port() + ", postgres on " + postgres.port() + ", seeded key and account");

        dev.relay.fake.FakeTokenEndpoint tokens = new dev.relay.fake.FakeTokenEndpoint();
        tokens.start();
        tokens.delayMs(REFRESH_DELAY_MS);
        resources.push(tokens);
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", String.valueOf(redisServer.port()));
        env.put("POSTGRES_URL", postgres.url("postgres"));
        env.put("ENCRYPTION_KEY", ENCRYPTION_KEY);
        env.put("JWT_SECRET", JWT_SECRET);
        env.put("ADMIN_USERNAME", "admin");
        env.put("ADMIN_PASSWORD", "bench-admin-password");
        env.put("TIMEZONE_OFFSET", "8");
        env.put("CLAUDE_API_URL", upstreamUrl);
        env.put("CLAUDE_OAUTH_TOKEN_URL", tokens.url());
        env.put("RELAY_EMBEDDED_SERVICES", "false");
        env.put("RELAY_DATA_DIR", Path.of("target", "bench-data").toAbsolutePath().toString());
        Path log = Path.of("target", "bench-gateway.log").toAbsolutePath();
        boolean standIn = options.gatewayMain() != null;
        List<String> command = standIn
                ? GatewayProcess.mainClassCommand(options.gatewayMain(), options.gatewayJvmOptions())
                : GatewayProcess.jarCommand(options.jar(), options.gatewayJvmOptions());
        GatewayProcess gateway = GatewayProcess.start(command, env, port, log);
        resources.push(gateway);
        conditions.add("gateway: `" + String.join(" ", command).replace(System.getProperty("java.class.path"), "<cp>")
                + "` (pid " + gateway.pid() + ", log " + log + ")");
        if (standIn) {
            table.note("**Harness self-test: the gateway rows measure the stand-in " + options.gatewayMain()
                    + ", not the gateway.**");
        }
        gateway.awaitReady(Duration.ofSeconds(90));
        long idleRss = gateway.rssKb();
        log("gateway ready on " + port + ", RSS " + ResultTable.mib(idleRss));

        Map<String, String> clientHeaders = clientHeaders();
        preflight(fake, port, clientHeaders);

        Measured json = measuredWithRedis(load, redis, gateway, spec("gateway non-stream", port, GATEWAY_PATH,
                clientHeaders, false, options.connections()));
        table.add(json.result(), directJson, json.redis(), json.cpuMicrosPerRequest());
        Measured stream = measuredWithRedis(load, redis, gateway, spec("gateway stream", port, GATEWAY_PATH,
                clientHeaders, true, options.connections()));
        table.add(stream.result(), directStream, stream.redis(), stream.cpuMicrosPerRequest());
        Map<String, String> oauthHeaders = new LinkedHashMap<>(clientHeaders);
        oauthHeaders.put("x-api-key", LegacySeed.OAUTH_RAW_KEY);
        Measured oauthJson = measuredWithRedis(load, redis, gateway, spec("gateway OAuth non-stream", port,
                GATEWAY_PATH, oauthHeaders, false, options.connections()));
        table.add(oauthJson.result(), directJson, oauthJson.redis(), oauthJson.cpuMicrosPerRequest());
        Measured oauthStream = measuredWithRedis(load, redis, gateway, spec("gateway OAuth stream", port,
                GATEWAY_PATH, oauthHeaders, true, options.connections()));
        table.add(oauthStream.result(), directStream, oauthStream.redis(), oauthStream.cpuMicrosPerRequest());
        refreshUnderLoad(load, port, oauthHeaders, tokens);
        if (options.latencyRate() > 0) {
            Measured jsonRate = measuredWithRedis(load, redis, gateway, rateSpec("gateway non-stream", port,
                    GATEWAY_PATH, clientHeaders, false));
            table.add(jsonRate.result(), directJsonRate, jsonRate.redis(), jsonRate.cpuMicrosPerRequest());
            Measured streamRate = measuredWithRedis(load, redis, gateway, rateSpec("gateway stream", port,
                    GATEWAY_PATH, clientHeaders, true));
            table.add(streamRate.result(), directStreamRate, streamRate.redis(), streamRate.cpuMicrosPerRequest());
        }

        AtomicLong maxRss = new AtomicLong(-1);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rss-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> maxRss.accumulateAndGet(gateway.rssKb(), Math::max), 0, 250,
                TimeUnit.MILLISECONDS);
        LoadResult wide;
        try {
            wide = phase(load, spec("gateway non-stream", port, GATEWAY_PATH, clientHeaders, false,
                    options.rssConnections()));
        } finally {
            sampler.shutdownNow();
        }
        long endRss = gateway.rssKb();
        table.add(wide, null, null);
        table.note("gateway RSS (VmRSS): " + ResultTable.mib(idleRss) + " idle after start; "
                + ResultTable.mib(maxRss.get()) + " highest sample during the " + options.rssConnections()
                + "-connection phase; " + ResultTable.mib(endRss) + " at its end; peak VmHWM "
                + ResultTable.mib(gateway.peakRssKb()));
        if (options.slowStreams() > 0) {
            slowStreams(fake, load, gateway, port, clientHeaders);
        }
        table.note("Added p50/p99 = gateway percentile minus the direct percentile of the same mode and "
                + "connection count. Redis cmds/req = commandstats calls (INFO excluded; pipelined and Lua-internal "
                + "commands each count) per measured request; Redis reads/req = total_reads_processed per request "
                + "(≈ round trips). Both include asynchronous writes finishing within 1 s after the phase.");
        return finish();
    }

    /**
     * OAuth load for 4 s while one request on another OAuth account needs its token refreshed, with the token
     * endpoint taking 2 s: the refresh must stall no other request (docs/benchmarks.md).
     */
    private void refreshUnderLoad(LoadGenerator load, int port, Map<String, String> oauthHeaders,
            dev.relay.fake.FakeTokenEndpoint tokens) throws Exception {
        Map<String, String> expiredHeaders = new LinkedHashMap<>(oauthHeaders);
        expiredHeaders.put("x-api-key", LegacySeed.EXPIRED_RAW_KEY);
        Duration warmup = Duration.ofSeconds(1);
        RefreshUnderLoad.Outcome refreshing = RefreshUnderLoad.fireAfter(warmup.toMillis() + 1000, port,
                GATEWAY_PATH, expiredHeaders, requestBody(false));
        LoadResult during = phase(load, new LoadSpec("gateway OAuth during a 2 s token refresh", "127.0.0.1", port,
                GATEWAY_PATH, oauthHeaders, requestBody(false), false, options.connections(), warmup,
                Duration.ofSeconds(4)));
        table.add(during, null, null);
        table.note("refresh phase: the request that refreshed waited " + refreshing.millis + " ms (status "
                + refreshing.status + (refreshing.error == null ? "" : ", " + refreshing.error) + "), token calls "
                + tokens.calls() + " (endpoint delay " + REFRESH_DELAY_MS + " ms); the phase's p99 is that of the "
                + "other OAuth account's requests during it");
    }

    /** The optional slow-stream memory phase (docs/benchmarks.md "Slow streams"). */
    private void slowStreams(FakeAnthropic fake, LoadGenerator load, GatewayProcess gateway, int port,
            Map<String, String> clientHeaders) throws Exception {
        int n = options.slowStreams();
        log("phase gateway slow stream @" + n + " for " + options.slowDuration().toSeconds() + " s ...");
        LoadSpec spec = new LoadSpec("gateway slow stream", "127.0.0.1", port, GATEWAY_PATH, clientHeaders,
                requestBody(true), true, n, Duration.ZERO, options.slowDuration(), SLOW_REQUEST_TIMEOUT_MS);
        SlowStreamPhase.Outcome o = SlowStreamPhase.run(fake, dev.relay.fake.Reply.ok().chunks(options.chunks()),
                load, spec, gateway::rssKb, gateway::peakRssKb);
        table.add(o.streams(), null, null);
        for (String note : SlowStreamPhase.notes(o, n)) {
            table.note(note);
            log("  " + note);
        }
        conditions.add("slow-stream phase: no warm-up, " + n + " connections, request idle timeout "
                + SLOW_REQUEST_TIMEOUT_MS / 1000 + " s, harness open-file limit " + openFileLimit());
    }

    /** The soft open-file limit of this JVM (the gateway inherits it), from /proc/self/limits, or "n/a". */
    private static String openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return line.substring("Max open files".length()).trim().split("\\s+")[0];
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return "n/a";
    }

    private String finish() {
        conditions.add("load average at end: " + loadAverage() + " (other processes on the machine skew every number)");
        return table.markdown("Relay benchmark result", conditions);
    }

    /** The 1/5/15-minute load averages from /proc/loadavg, or "n/a". */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException | ArrayIndexOutOfBoundsException e) {
            return "n/a";
        }
    }

    private LoadResult phase(LoadGenerator load, LoadSpec spec) throws Exception {
        log("phase " + spec.name() + " @" + spec.connections() + " ...");
        LoadResult r = load.run(spec);
        log(String.format(java.util.Locale.ROOT, "  %.0f req/s, p50 %s ms, p99 %s ms, %d errors%s",
                r.requestsPerSecond(), ResultTable.ms(r.p50()), ResultTable.ms(r.p99()), r.errors(),
                r.firstError() == null ? "" : " (first: " + r.firstError() + ")"));
        return r;
    }

    /** Runs a phase and reads Redis counters when its measured window opens and 1 s after it ends. */
    private record Measured(LoadResult result, RedisCommandStats redis, double cpuMicrosPerRequest) {
    }

    /** Also reads the gateway's CPU time (user + system) over the measured window, per measured request. */
    private Measured measuredWithRedis(LoadGenerator load, RedisAPI redis, GatewayProcess gateway, LoadSpec spec)
            throws Exception {
        log("phase " + spec.name() + " @" + spec.connections()
                + (spec.ratePerSecond() > 0 ? " at " + spec.ratePerSecond() + " req/s" : "") + " ...");
        LoadGenerator.Run run = load.start(spec);
        long wait = run.measureStartNanos() - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        RedisCommandStats before = RedisCommandStats.read(redis);
        long cpuBefore = gateway.cpuNanos();
        LoadResult r = run.await();
        long cpuAfter = gateway.cpuNanos();
        Thread.sleep(1000);
        RedisCommandStats delta = RedisCommandStats.read(redis).minus(before);
        double cpuPerRequest = cpuBefore < 0 || cpuAfter < 0 || r.completed() == 0 ? -1
                : (cpuAfter - cpuBefore) / 1e3 / r.completed();
        log(String.format(java.util.Locale.ROOT,
                "  %.0f req/s, p50 %s ms, p99 %s ms, %d errors, %d redis commands, gateway CPU %.0f us/req",
                r.requestsPerSecond(), ResultTable.ms(r.p50()), ResultTable.ms(r.p99()), r.errors(),
                delta.commands(), cpuPerRequest));
        return new Measured(r, delta, cpuPerRequest);
    }

    /**
     * One non-stream and one stream request through the gateway before any load: a missing route (404) or a
     * gateway that never reaches the upstream fails the run with a clear message instead of a table of errors.
     */
    private void preflight(FakeAnthropic fake, int port, Map<String, String> headers) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (boolean stream : new boolean[] {false, true}) {
            long upstreamBefore = fake.requestCount();
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + GATEWAY_PATH))
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(requestBody(stream)));
            headers.forEach(b::header);
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String what = (stream ? "stream" : "non-stream") + " POST " + GATEWAY_PATH;
            if (r.statusCode() == 404) {
                throw new BenchmarkFailure("the gateway answered 404 to " + what + ": this build has no relay route "
                        + "yet (run with --direct-only to measure the fake upstream alone)");
            }
            if (r.statusCode() != 200) {
                throw new BenchmarkFailure("the gateway answered " + r.statusCode() + " to " + what + ": "
                        + abbreviate(r.body()));
            }
            if (fake.requestCount() <= upstreamBefore) {
                throw new BenchmarkFailure("the gateway answered 200 to " + what
                        + " without calling the fake upstream: " + abbreviate(r.body()));
            }
            boolean complete = stream ? r.body().contains("event: message_stop") && r.body().contains("\"output_tokens\":345")
                    : r.body().contains("\"output_tokens\":345");
            if (!complete) {
                throw new BenchmarkFailure("unexpected answer to " + what + ": " + abbreviate(r.body()));
            }
        }
        log("preflight ok: the gateway relays both modes to the fake upstream");
    }

    /** An open-loop phase at {@code --latency-rate}: a short warm-up, since it runs after the closed-loop ones. */
    private LoadSpec rateSpec(String name, int port, String uri, Map<String, String> headers, boolean stream) {
        return new LoadSpec(name + " @" + options.latencyRate() + "/s", "127.0.0.1", port, uri, headers,
                requestBody(stream), stream, options.connections(), Duration.ofSeconds(Math.min(3,
                        options.warmup().toSeconds())), options.duration(), LoadGenerator.REQUEST_TIMEOUT_MS)
                .atRate(options.latencyRate());
    }

    private LoadSpec spec(String name, int port, String uri, Map<String, String> headers, boolean stream,
            int connections) {
        return new LoadSpec(name, "127.0.0.1", port, uri, headers, requestBody(stream), stream, connections,
                options.warmup(), options.duration());
    }

    /** A Claude Code 1.0.110 request body as in fixture 04/05 (system prompt with cache_control, metadata). */
    static String requestBody(boolean stream) {
        return "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"system\":[{\"type\":\"text\","
                + "\"text\":\"You are Claude Code, Anthropic's official CLI for Claude.\","
                + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"benchmark request\"}]}],\"metadata\":{\"user_id\":\"user_"
                + "f1".repeat(32) + "_account__session_3ffc68cb-d343-4593-aebf-2b007cd8f752\"},\"stream\":"
                + stream + "}";
    }

    /** The client headers of fixture 04 (Claude Code 1.0.110), with the benchmark's API key. */
    static Map<String, String> clientHeaders() {
        Map<String, String> h = claudeCodeHeaders();
        h.put("x-api-key", LegacySeed.RAW_KEY);
        return h;
    }

    /** What a Console relay sends upstream (relay.md §5.3): the same client headers and the account's key. */
    static Map<String, String> upstreamHeaders() {
        Map<String, String> h = claudeCodeHeaders();
        h.put("x-api-key", LegacySeed.CONSOLE_API_KEY);
        return h;
    }

    private static Map<String, String> claudeCodeHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json");
        h.put("Content-Type", "application/json");
        h.put("User-Agent", "claude-cli/1.0.110 (external, cli)");
        h.put("X-Stainless-Lang", "js");
        h.put("X-Stainless-Package-Version", "0.55.1");
        h.put("X-Stainless-OS", "Linux");
        h.put("X-Stainless-Arch", "x64");
        h.put("X-Stainless-Runtime", "node");
        h.put("X-Stainless-Runtime-Version", "v20.20.2");
        h.put("X-Stainless-Retry-Count", "0");
        h.put("X-Stainless-Timeout", "600");
        h.put("anthropic-beta",
                "claude-code-20250219,interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
        h.put("anthropic-dangerous-direct-browser-access", "true");
        h.put("anthropic-version", "2023-06-01");
        h.put("x-app", "cli");
        return h;
    }

    /** Stops everything this run started, newest first; safe to call twice (shutdown hook and finally). */
    synchronized void closeAll() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    /** Ends the JVM (shutdown hook included) if the whole run overruns its computed bound. */
    private static void startWatchdog(BenchOptions options) {
        long perPhase = options.warmup().toSeconds() + options.duration().toSeconds()
                + LoadGenerator.DRAIN_LIMIT_MS / 1000 + 15;
        long limit = 7 * perPhase + 300 + (options.slowStreams() == 0 ? 0
                : options.slowDuration().toSeconds() + LoadGenerator.drainLimitMs(SLOW_REQUEST_TIMEOUT_MS) / 1000
                    + SlowStreamPhase.SETTLE_MS / 1000 + 15);
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(limit * 1000);
                System.err.println("BENCHMARK FAILED: exceeded its time limit of " + limit + " s");
                System.exit(3);
            } catch (InterruptedException ignored) {
                // main finished first
            }
        }, "bench-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }

    private static void log(String line) {
        System.out.println("[bench] " + line);
    }
}
