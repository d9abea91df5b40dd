package dev.relay.relay.claude;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Calls a Claude Console account's Anthropic-compatible endpoint (relay.md §5.3) over pooled keep-alive
 * connections, one client per distinct proxy. The response comes back paused, so the caller decides when bytes
 * start to flow (back-pressure).
 */
@Singleton
public class ConsoleUpstream {
    private static final Logger LOG = Logger.getLogger(ConsoleUpstream.class);
    static final String DEFAULT_USER_AGENT = "claude-cli/2.0.52 (external, cli)";

    /**
     * Client headers passed through (utils/headerFilter.js filterForClaude), in the legacy's order.
     * {@code accept-encoding} is deliberately not forwarded: bodies are read for usage, so they must arrive
     * uncompressed (the legacy decompresses them itself before forwarding).
     */
    static final List<String> FORWARDED = List.of("accept", "x-stainless-retry-count", "x-stainless-timeout",
            "x-stainless-lang", "x-stainless-package-version", "x-stainless-os", "x-stainless-arch",
            "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-helper-method",
            "anthropic-dangerous-direct-browser-access", "anthropic-version", "x-app", "anthropic-beta",
            "accept-language", "sec-fetch-mode", "user-agent", "content-type");

    /**
     * Upstream connections per client. A stream holds its connection for its whole length, so this bounds the
     * concurrent streams per proxy: requests past it wait for a free connection before reaching the upstream.
     * The legacy's Node agent has no per-host socket cap; 4096 keeps 1,000+ concurrent slow streams flowing.
     */
    static final int MAX_CONNECTIONS = 4096;

    private final Vertx vertx;
    private final long idleTimeoutMs;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    @Inject
    public ConsoleUpstream(Vertx vertx, RelayConfig config) {
        this(vertx, config.requestTimeoutMs());
    }

    public ConsoleUpstream(Vertx vertx, long idleTimeoutMs) {
        this.vertx = vertx;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    public record Call(HttpClientRequest request, HttpClientResponse response) {
    }

    /** Sends the body; completes when the upstream's status and headers have arrived (body paused). */
    public Future<Call> send(ClaudeConsoleAccount account, boolean countTokens, MultiMap clientHeaders, Buffer body) {
        return send(account, countTokens, clientHeaders, body, request -> { });
    }

    /**
     * As {@link #send(ClaudeConsoleAccount, boolean, MultiMap, Buffer)}; {@code sending} gets the request as soon as
     * it exists, so a caller can abort it while the upstream has not answered yet (the client left).
     */
    public Future<Call> send(ClaudeConsoleAccount account, boolean countTokens, MultiMap clientHeaders, Buffer body,
            Consumer<HttpClientRequest> sending) {
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setAbsoluteURI(url(account.apiUrl(), countTokens))
                    .setIdleTimeout(idleTimeoutMs)
                    .setHeaders(headers(account, clientHeaders));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalStateException("account " + account.id() + " has a bad apiUrl"));
        }
        HttpClient client = clientFor(account.proxy());
        return client.request(options).compose(request -> {
            // every failure also fails the future returned here, where the caller handles it; without a handler
            // Vert.x logs a request reset before its end was written (the client left) as an ERROR
            request.exceptionHandler(e -> LOG.debugf("upstream request of account %s ended: %s", account.id(), e));
            sending.accept(request);
            request.putHeader("content-length", String.valueOf(body.length()));
            return request.send(body).map(response -> {
                response.pause();
                return new Call(request, response);
            });
        });
    }

    private static final String MESSAGES_PATH = "/v1/messages";

    static String url(String apiUrl, boolean countTokens) {
        String base = apiUrl == null ? "" : apiUrl;
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        base = base.substring(0, end);
        boolean hasPath = base.endsWith(MESSAGES_PATH);
        if (countTokens) {
            String root = hasPath ? base.substring(0, base.length() - MESSAGES_PATH.length()) : base;
            return root + MESSAGES_PATH + "/count_tokens";
        }
        return hasPath ? base : base + MESSAGES_PATH;
    }

    static MultiMap headers(ClaudeConsoleAccount account, MultiMap client) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        out.set("Content-Type", "application/json");
        out.set("anthropic-version", "2023-06-01");
        // relay.md §5.3: the account's UA (else a default) is only the base; the whitelist copy below puts the
        // client's user-agent over it, so the upstream sees the client's UA whenever it sent one (fixture 04)
        out.set("User-Agent", notBlank(account.userAgent()) ? account.userAgent() : DEFAULT_USER_AGENT);
        for (String name : FORWARDED) {
            String value = client.get(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        String key = account.apiKey() == null ? "" : account.apiKey();
        if (key.startsWith("sk-ant-")) {
            out.set("x-api-key", key);
        } else {
            out.set("Authorization", "Bearer " + key);
        }
        out.set("Accept-Encoding", "identity");
        return out;
    }

    private HttpClient clientFor(String proxyJson) {
        String cacheKey = proxyJson == null ? "" : proxyJson;
        return clients.computeIfAbsent(cacheKey, k -> {
            HttpClientOptions options = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setConnectTimeout(10_000)
                    .setDecompressionSupported(false);
            ProxyOptions proxy = proxy(k);
            if (proxy != null) {
                options.setProxyOptions(proxy);
            }
            return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS)
                    .setMaxWaitQueueSize(10_000));
        });
    }

    /** The account's proxy JSON {@code {"type":"socks5|http|https","host","port","username","password"}}. */
    static ProxyOptions proxy(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            JsonObject p = new JsonObject(json);
            String host = p.getString("host");
            Object port = p.getValue("port");
            if (host == null || host.isBlank() || port == null) {
                return null;
            }
            ProxyOptions options = new ProxyOptions()
                    .setType("socks5".equalsIgnoreCase(p.getString("type")) ? ProxyType.SOCKS5 : ProxyType.HTTP)
                    .setHost(host)
                    .setPort(Integer.parseInt(String.valueOf(port)));
            if (notBlank(p.getString("username"))) {
                options.setUsername(p.getString("username")).setPassword(p.getString("password"));
            }
            return options;
        } catch (DecodeException | ClassCastException | NumberFormatException e) {
            LOG.warn("ignoring an account proxy that is not valid JSON");
            return null;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
    }
}
