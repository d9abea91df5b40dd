package dev.relay.bench;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.Reply;
import dev.relay.local.EmbeddedPostgresServer;
import dev.relay.store.LegacyClock;
import dev.relay.store.RedisClients;
import dev.relay.testsupport.RedisServerProcess;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real processes on loopback for fault scenarios: a {@code redis-server} that can be stopped, restarted and frozen,
 * PostgreSQL, a fake Anthropic upstream, and gateway processes started from the built jar, with the benchmark's key
 * and Console account seeded as the legacy writes them (key and account concurrency limits high enough to never
 * refuse, so every request holds two leases).
 */
final class FaultRig implements AutoCloseable {
    private final Path dir;
    private final Path jar;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    final RedisServerProcess redis;
    final FakeAnthropic upstream;
    private final EmbeddedPostgresServer postgres;
    private final RedisAPI api;
    private int started;

    FaultRig(Path dir, Path jar) throws Exception {
        this.dir = dir.toAbsolutePath();
        this.jar = jar;
        this.redis = push(new RedisServerProcess(this.dir.resolve("redis")));
        this.postgres = push(EmbeddedPostgresServer.start(null));
        this.upstream = push(new FakeAnthropic(1));
        upstream.recordRequests(false);
        upstream.defaultReply(Reply.ok().chunks(4).eventDelayMs(10).delayMs(20));
        String upstreamUrl = upstream.start();
        Vertx vertx = Vertx.vertx();
        push(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        this.api = RedisAPI.api(Redis.createClient(vertx, RedisClients.options(redis.connectionString(), 2)));
        LegacySeed.write(api, RelayBenchmark.ENCRYPTION_KEY, upstreamUrl,
                new LegacyClock(8, ZoneOffset.UTC).date(Instant.now()));
        LegacySeed.await(api.hset(List.of("apikey:" + LegacySeed.KEY_ID, "concurrencyLimit", "100000")));
        LegacySeed.await(api.hset(List.of("claude_console_account:" + LegacySeed.ACCOUNT_ID, "maxConcurrentTasks",
                "100000")));
    }

    private <T extends AutoCloseable> T push(T resource) {
        resources.push(resource);
        return resource;
    }

    /** A gateway from the built jar, ready; {@code name} keeps its data (usage spool) across restarts. */
    GatewayProcess gateway(String name, int port, Map<String, String> extraEnv) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_HOST", "127.0.0.1");
        env.put("REDIS_PORT", String.valueOf(redis.port()));
        env.put("POSTGRES_URL", postgres.url("postgres"));
        env.put("ENCRYPTION_KEY", RelayBenchmark.ENCRYPTION_KEY);
        env.put("JWT_SECRET", RelayBenchmark.JWT_SECRET);
        env.put("ADMIN_USERNAME", "admin");
        env.put("ADMIN_PASSWORD", "fault-admin-password");
        env.put("RELAY_EMBEDDED_SERVICES", "false");
        env.put("RELAY_DATA_DIR", dir.resolve(name).toString());
        env.put("RELAY_USAGE_SPOOL_DIR", dir.resolve(name).resolve("usage-spool").toString());
        env.put("QUARKUS_LOG_LEVEL", "INFO");
        env.putAll(extraEnv);
        GatewayProcess gateway = GatewayProcess.start(GatewayProcess.jarCommand(jar,
                List.of("-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Duser.timezone=UTC")), env, port,
                dir.resolve(name + "-" + (++started) + ".log"));
        push(gateway);
        gateway.awaitReady(Duration.ofSeconds(120));
        return gateway;
    }

    static Map<String, String> clientHeaders() {
        return RelayBenchmark.clientHeaders();
    }

    /** Unexpired members of every lease set ({@code concurrency:*} less the queue keys), as the legacy counts. */
    long liveLeases() throws Exception {
        String script = "local n = 0 local cursor = '0' repeat "
                + "local r = redis.call('SCAN', cursor, 'MATCH', 'concurrency:*', 'COUNT', 1000) cursor = r[1] "
                + "for _, k in ipairs(r[2]) do if string.sub(k, 1, 18) ~= 'concurrency:queue:' "
                + "and redis.call('TYPE', k).ok == 'zset' then "
                + "n = n + redis.call('ZCOUNT', k, '(' .. ARGV[1], '+inf') end end until cursor == '0' return n";
        Response r = LegacySeed.await(api.eval(List.of(script, "0", Long.toString(System.currentTimeMillis()))));
        return r.toLong();
    }

    /** The live lease members right now, each as {@code key} and {@code member}: e.g. a dead process's leases. */
    List<String> liveLeaseMembers() throws Exception {
        String script = "local out = {} local cursor = '0' repeat "
                + "local r = redis.call('SCAN', cursor, 'MATCH', 'concurrency:*', 'COUNT', 1000) cursor = r[1] "
                + "for _, k in ipairs(r[2]) do if string.sub(k, 1, 18) ~= 'concurrency:queue:' "
                + "and redis.call('TYPE', k).ok == 'zset' then "
                + "for _, m in ipairs(redis.call('ZRANGEBYSCORE', k, '(' .. ARGV[1], '+inf')) do "
                + "table.insert(out, k) table.insert(out, m) end end end until cursor == '0' return out";
        Response r = LegacySeed.await(api.eval(List.of(script, "0", Long.toString(System.currentTimeMillis()))));
        return r.stream().map(Response::toString).toList();
    }

    /** How many of {@code members} (as {@link #liveLeaseMembers} gives them) still count. */
    long stillLive(List<String> members) throws Exception {
        if (members.isEmpty()) {
            return 0;
        }
        String script = "local n = 0 for i = 1, #ARGV - 1, 2 do local s = redis.call('ZSCORE', ARGV[i], ARGV[i + 1]) "
                + "if s and tonumber(s) > tonumber(ARGV[#ARGV]) then n = n + 1 end end return n";
        List<String> args = new java.util.ArrayList<>(List.of(script, "0"));
        args.addAll(members);
        args.add(Long.toString(System.currentTimeMillis()));
        return LegacySeed.await(api.eval(args)).toLong();
    }

    /** {@code usage:{keyId}.totalRequests}: requests the gateway booked for the key. */
    long bookedRequests() throws Exception {
        Response r = LegacySeed.await(api.hget("usage:" + LegacySeed.KEY_ID, "totalRequests"));
        return r == null ? 0 : Long.parseLong(r.toString());
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                // the rest still closes
            }
        }
    }
}
