package dev.relay.fake;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OAuth token endpoint ({@code POST /v1/oauth/token}) on a free loopback port, answering a refresh as
 * Anthropic's does (fixture 11, upstream seq 117): a new access and refresh token numbered by the call, and
 * {@code expires_in}. It can be told to answer slowly or with an error status.
 */
public final class FakeTokenEndpoint implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile long delayMs;
    private volatile int status = 200;
    private volatile long expiresIn = 28800;
    private HttpServer server;

    public String start() {
        try {
            server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                    .requestHandler(this::handle).listen().toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake token endpoint did not start", e);
        }
        return url();
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1/oauth/token";
    }

    public FakeTokenEndpoint delayMs(long ms) {
        this.delayMs = ms;
        return this;
    }

    public FakeTokenEndpoint status(int value) {
        this.status = value;
        return this;
    }

    public FakeTokenEndpoint expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** The access token the n-th call (from 1) hands out. */
    public static String accessToken(int call) {
        return "sk-ant-oat01-fake-refreshed-access-" + call;
    }

    public static String refreshToken(int call) {
        return "sk-ant-ort01-fake-refreshed-refresh-" + call;
    }

    public int calls() {
        return calls.get();
    }

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void reset() {
        synchronized (requests) {
            requests.clear();
        }
        calls.set(0);
        delayMs = 0;
        status = 200;
        expiresIn = 28800;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            int call = calls.incrementAndGet();
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            request.headers().forEach(h -> headers.add(new SimpleImmutableEntry<>(h.getKey(), h.getValue())));
            synchronized (requests) {
                requests.add(new RecordedRequest(request.method().name(), request.uri(), List.copyOf(headers),
                        body.toString()));
            }
            Runnable answer = () -> {
                if (status != 200) {
                    request.response().setStatusCode(status).putHeader("content-type", "application/json")
                            .end(new JsonObject().put("error", "invalid_grant").encode());
                    return;
                }
                request.response().putHeader("content-type", "application/json").end(new JsonObject()
                        .put("access_token", accessToken(call)).put("refresh_token", refreshToken(call))
                        .put("expires_in", expiresIn).put("token_type", "Bearer")
                        .put("scope", "user:inference user:profile").encode());
            };
            if (delayMs > 0) {
                vertx.setTimer(delayMs, t -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing a test server: nothing left to do
        }
    }
}
