package dev.relay.bench;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.Reply;
import dev.relay.local.EmbeddedPostgresServer;
import dev.relay.local.EmbeddedRedis;
import dev.relay.store.LegacyClock;
import dev.relay.store.RedisClients;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.IOException;
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
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real Claude Code CLI through relay ({@code scripts/real-claude-code.sh}): starts the fake upstream in this
 * JVM, its own embedded Redis and PostgreSQL on free ports, seeds a shared Console account and three keys the way
 * the legacy admin API writes them (plain; Claude Code only with the client restriction on; Claude Code only by
 * {@code allowedClients} alone), starts the gateway jar as its own process, runs {@code claude -p "say hi"} of every
 * given CLI through every key, and sends one request that is not Claude Code through each restricted key. Prints one
 * PASS/FAIL line per case; exits 1 when any failed, 2 on bad arguments.
 *
 * <p>Arguments: {@code --claude VERSION=PATH} (repeatable), {@code --jar PATH}
 * (default {@code target/quarkus-app/quarkus-run.jar}), {@code --timeout SECONDS} per CLI run (default 120).
 */
public final class RealClaudeCodeCheck {
    static final String ENCRYPTION_KEY = "real-cli-encryption-key-32bytes!";
    static final String PROMPT = "say hi";

    record Cli(String version, Path executable) {
    }

    /** A seeded client key and what it is called in the report. */
    record SeededKey(String label, String id, String raw, boolean claudeCodeOnly) {
    }

    private final List<Cli> clis;
    private final Path jar;
    private final Duration timeout;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<String> report = new ArrayList<>();
    private int failures;

    RealClaudeCodeCheck(List<Cli> clis, Path jar, Duration timeout) {
        this.clis = clis;
        this.jar = jar;
        this.timeout = timeout;
    }

    public static void main(String[] args) {
        List<Cli> clis = new ArrayList<>();
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        Duration timeout = Duration.ofSeconds(120);
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--claude" -> clis.add(new Cli(value.substring(0, value.indexOf('=')),
                            Path.of(value.substring(value.indexOf('=') + 1))));
                    case "--jar" -> jar = Path.of(value);
                    case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (clis.isEmpty()) {
                throw new IllegalArgumentException("no --claude VERSION=PATH given");
            }
        } catch (RuntimeException e) {
            System.err.println("usage: --claude VERSION=PATH [--claude ...] [--jar PATH] [--timeout S]: " + e.getMessage());
            System.exit(2);
            return;
        }
        RealClaudeCodeCheck check = new RealClaudeCodeCheck(clis, jar, timeout);
        int code;
        try {
            code = check.run() ? 0 : 1;
        } catch (Exception e) {
            System.err.println("FAIL could not run the check: " + e);
            code = 1;
        } finally {
            check.closeAll();
        }
        System.exit(code);
    }

    boolean run() throws Exception {
        Path work = Files.createTempDirectory("relay-real-claude-code-");
        resources.push(() -> deleteTree(work));
        FakeAnthropic fake = new FakeAnthropic();
        resources.push(fake);
        String upstreamUrl = fake.start();
        EmbeddedRedis redisServer = EmbeddedRedis.start(null);
        resources.push(redisServer);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null);
        resources.push(postgres);
        List<SeededKey> keys = seed(redisServer.port(), upstreamUrl);

        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", String.valueOf(redisServer.port()));
        env.put("POSTGRES_URL", postgres.url("postgres"));
        env.put("ENCRYPTION_KEY", ENCRYPTION_KEY);
        env.put("JWT_SECRET", RelayBenchmark.JWT_SECRET);
        env.put("ADMIN_USERNAME", "admin");
        env.put("ADMIN_PASSWORD", "real-cli-admin-password");
        env.put("RELAY_EMBEDDED_SERVICES", "false");
        env.put("RELAY_DATA_DIR", work.resolve("data").toString());
        env.put("RELAY_USAGE_SPOOL_DIR", work.resolve("usage-spool").toString());
        Path log = Path.of("target", "real-claude-code-gateway.log").toAbsolutePath();
        GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jarCommand(jar, List.of("-Xmx512m")), env, port,
                log);
        resources.push(gateway);
        gateway.awaitReady(Duration.ofSeconds(90));
        System.out.println("relay on 127.0.0.1:" + port + " (log " + log + "), Redis on " + redisServer.port()
                + ", fake upstream " + upstreamUrl);

        // the legacy's /api base, and the bare host the gateway guide has users set as ANTHROPIC_BASE_URL
        for (String base : List.of("/api", "")) {
            ClaudeCodeRun runs = new ClaudeCodeRun(work, "http://127.0.0.1:" + port + base, timeout);
            String where = base.isEmpty() ? "bare host" : base;
            for (Cli cli : clis) {
                for (SeededKey key : keys) {
                    runThrough(runs, cli, key, where, fake);
                }
            }
        }
        for (SeededKey key : keys) {
            if (key.claudeCodeOnly()) {
                refusesOtherClients(port, key, gateway);
            }
        }
        report.forEach(System.out::println);
        return failures == 0;
    }

    private void runThrough(ClaudeCodeRun runs, Cli cli, SeededKey key, String where, FakeAnthropic fake)
            throws Exception {
        long before = fake.requestCount();
        ClaudeCodeRun.Outcome outcome = runs.run(cli.executable(), key.raw(), PROMPT);
        long calls = fake.requestCount() - before;
        boolean answered = outcome.exitCode() == 0 && outcome.stdout().contains(Reply.DEFAULT_TEXT.strip());
        boolean pass = answered && calls > 0;
        line(pass, "claude-code " + cli.version() + ", " + key.label() + ", " + where, pass
                ? "claude -p answered through relay (" + calls + " upstream call(s), " + outcome.seconds() + " s)"
                : "exit " + outcome.exitCode() + ", upstream calls " + calls + ", output: " + outcome.tail());
    }

    private List<SeededKey> seed(int redisPort, String upstreamUrl) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            RedisAPI redis = RedisAPI.api(Redis.createClient(vertx,
                    RedisClients.options("redis://127.0.0.1:" + redisPort + "/0", 1)));
            LegacySeed.write(redis, ENCRYPTION_KEY, upstreamUrl, new LegacyClock(8, ZoneOffset.UTC).date(Instant.now()));
            List<SeededKey> keys = new ArrayList<>();
            keys.add(new SeededKey("plain key", LegacySeed.KEY_ID, LegacySeed.RAW_KEY, false));
            keys.add(restrictedKey(redis, "b0b0b0b0-0000-4000-8000-0000000cc001", "true",
                    "claude_code only (client restriction on)"));
            keys.add(restrictedKey(redis, "b0b0b0b0-0000-4000-8000-0000000cc002", "false",
                    "claude_code only (allowedClients alone)"));
            return keys;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** A key whose {@code allowedClients} is {@code ["claude_code"]}, with the client restriction switched as given. */
    private static SeededKey restrictedKey(RedisAPI redis, String id, String restrictionOn, String label)
            throws Exception {
        String raw = "cr_" + id.replace("-", "") + "c".repeat(32);
        Map<String, String> fields = LegacySeed.apiKeyFields(id, raw, label, ENCRYPTION_KEY, Instant.now());
        fields.put("enableClientRestriction", restrictionOn);
        fields.put("allowedClients", "[\"claude_code\"]");
        LegacySeed.writeKey(redis, fields, raw, ENCRYPTION_KEY);
        return new SeededKey(label, id, raw, true);
    }

    /** The negative control: a plain SDK-style request is refused with 403, and relay logs why in one line. */
    private void refusesOtherClients(int port, SeededKey key, GatewayProcess gateway) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("User-Agent", "curl/8.5.0").header("anthropic-version", "2023-06-01")
                .header("x-api-key", key.raw())
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":16,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + PROMPT + "\"}]}"))
                .build();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        List<String> logged = gateway.awaitLogLines(line -> line.contains(key.id()) && line.contains("refused"),
                Duration.ofSeconds(5));
        boolean ok = answer.statusCode() == 403 && logged.size() == 1 && !logged.get(0).contains(key.raw());
        line(ok, "a request that is not Claude Code, " + key.label(), "answer " + answer.statusCode() + " "
                + answer.body() + "; logged " + logged.size() + " line(s)" + (logged.isEmpty() ? ""
                        : ": " + logged.get(0).substring(logged.get(0).indexOf("key "))));
    }

    private void line(boolean pass, String what, String detail) {
        if (!pass) {
            failures++;
        }
        report.add((pass ? "PASS " : "FAIL ") + what + ": " + detail);
    }

    private void closeAll() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
