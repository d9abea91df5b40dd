package dev.relay.bench;

import dev.relay.store.RedisClients;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A deliberately minimal relay (key lookup, one shared Console account, header copy, body pipe) that the harness
 * can start in place of the gateway ({@code --gateway-main dev.relay.bench.StandInRelay}) to check its own gateway
 * phases end to end while the real relay route does not exist. Its numbers are a floor for what a relay on this
 * stack costs, never the gateway's result. Reads PORT, REDIS_HOST, REDIS_PORT and ENCRYPTION_KEY.
 */
public final class StandInRelay {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "x-api-key", "content-length", "connection",
            "accept-encoding", "authorization");

    private final RedisAPI redis;
    private final HttpClient upstream;
    private final String encryptionKey;

    private StandInRelay(RedisAPI redis, HttpClient upstream, String encryptionKey) {
        this.redis = redis;
        this.upstream = upstream;
        this.encryptionKey = encryptionKey;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, RedisClients.options(
                "redis://" + env.getOrDefault("REDIS_HOST", "127.0.0.1") + ":" + env.getOrDefault("REDIS_PORT", "6379")
                        + "/0", 16));
        HttpClient upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
                new PoolOptions().setHttp1MaxSize(256));
        StandInRelay relay = new StandInRelay(RedisAPI.api(client), upstream, env.getOrDefault("ENCRYPTION_KEY", ""));
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
                .requestHandler(relay::handle)
                .listen(Integer.parseInt(env.getOrDefault("PORT", "3000")))
                .onSuccess(s -> System.out.println("stand-in relay listening on " + s.actualPort()))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    private void handle(HttpServerRequest request) {
        if (request.path().equals("/q/health/ready")) {
            request.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
            return;
        }
        if (request.method() != HttpMethod.POST || !request.path().equals("/api/v1/messages")) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.body()
                .compose(body -> account(request.getHeader("x-api-key"))
                        .compose(account -> forward(request, body, account)))
                .onFailure(e -> {
                    if (!request.response().headWritten()) {
                        request.response().setStatusCode(e instanceof IllegalArgumentException ? 401 : 502)
                                .putHeader("content-type", "application/json")
                                .end("{\"error\":\"" + e.getMessage().replace('"', '\'') + "\"}");
                    } else {
                        request.connection().close();
                    }
                });
    }

    /** Key hash → key id → active key → first shared Console account: four round trips, no caching. */
    private Future<Response> account(String rawKey) {
        if (rawKey == null) {
            return Future.failedFuture(new IllegalArgumentException("missing key"));
        }
        String hash = dev.relay.store.ApiKeyHasher.hash(rawKey, encryptionKey);
        return redis.hget("apikey:hash_map", hash)
                .compose(id -> {
                    if (id == null) {
                        return Future.failedFuture(new IllegalArgumentException("invalid key"));
                    }
                    return redis.hget("apikey:" + id, "isActive");
                })
                .compose(active -> {
                    if (active == null || !"true".equals(active.toString())) {
                        return Future.failedFuture(new IllegalArgumentException("inactive key"));
                    }
                    return redis.smembers("shared_claude_console_accounts");
                })
                .compose(ids -> {
                    if (ids == null || ids.size() == 0) {
                        return Future.failedFuture(new IllegalStateException("no account"));
                    }
                    return redis.hgetall("claude_console_account:" + ids.get(0).toString());
                });
    }

    private Future<Void> forward(HttpServerRequest request, Buffer body, Response account) {
        URI base = URI.create(account.get("apiUrl").toString());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost())
                .setPort(base.getPort()).setURI("/v1/messages").setIdleTimeout(LoadGenerator.REQUEST_TIMEOUT_MS);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> h : request.headers()) {
            if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                headers.add(h.getKey(), h.getValue());
            }
        }
        headers.add("x-api-key", account.get("apiKey").toString());
        options.setHeaders(headers);
        return upstream.request(options)
                .compose(req -> req.send(body))
                .compose(resp -> {
                    var out = request.response().setStatusCode(resp.statusCode());
                    String type = resp.getHeader(HttpHeaders.CONTENT_TYPE);
                    if (type != null) {
                        out.putHeader(HttpHeaders.CONTENT_TYPE, type);
                    }
                    String length = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
                    if (length != null) {
                        out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
                    } else {
                        out.setChunked(true);
                    }
                    return resp.pipeTo(out);
                });
    }
}
