package dev.relay.gateway;

import dev.relay.config.RelayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The upstream HTTP clients every upstream adapter sends through: pooled keep-alive connections, one client per
 * distinct account proxy. The answer comes back paused, so the pipeline decides when bytes start to flow
 * (back-pressure).
 */
@Singleton
public class UpstreamHttp {
    private static final Logger LOG = Logger.getLogger(UpstreamHttp.class);

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
    public UpstreamHttp(Vertx vertx, RelayConfig config) {
        this(vertx, config.requestTimeoutMs());
    }

    public UpstreamHttp(Vertx vertx, long idleTimeoutMs) {
        this.vertx = vertx;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    /**
     * Authenticates and POSTs the request; completes when the upstream's status and headers have arrived (body
     * paused). {@code sending} gets the request as soon as it exists, so a caller can abort it while the upstream
     * has not answered yet.
     */
    public Future<UpstreamCall> post(OutboundRequest outbound, Credential credential,
            Consumer<HttpClientRequest> sending) {
        return credential.authenticate(outbound).compose(v -> post(outbound, sending));
    }

    /** POSTs a request that carries its authentication already. */
    public Future<UpstreamCall> post(OutboundRequest outbound, Consumer<HttpClientRequest> sending) {
        return send(HttpMethod.POST, outbound, sending);
    }

    /** Sends a request with any method (e.g. an OAuth profile GET; its empty body is sent without a length). */
    public Future<UpstreamCall> send(HttpMethod method, OutboundRequest outbound, Consumer<HttpClientRequest> sending) {
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(method).setAbsoluteURI(outbound.url())
                    .setIdleTimeout(idleTimeoutMs).setHeaders(outbound.headers());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalStateException("bad upstream URL"));
        }
        Buffer body = outbound.body();
        return clientFor(outbound.proxy(), acceptsCompressed(outbound)).request(options).compose(request -> {
            // every failure also fails the future returned here, where the caller handles it; without a handler
            // Vert.x logs a request reset before its end was written (the client left) as an ERROR
            request.exceptionHandler(e -> LOG.debugf("upstream request ended: %s", e));
            sending.accept(request);
            if (method == HttpMethod.GET) {
                return request.send().map(response -> {
                    response.pause();
                    return new UpstreamCall(request, response);
                });
            }
            if (!request.headers().contains("content-length")) {
                // an adapter that set it keeps its place in the header order (the OAuth upstream's, fixture 11)
                request.putHeader("content-length", String.valueOf(body.length()));
            }
            return request.send(body).map(response -> {
                response.pause();
                return new UpstreamCall(request, response);
            });
        });
    }

    /** The request offers a compressed answer (an adapter forwarded the client's {@code accept-encoding}). */
    private static boolean acceptsCompressed(OutboundRequest outbound) {
        String accepted = outbound.headers().get("accept-encoding");
        return accepted != null && !accepted.isBlank() && !"identity".equalsIgnoreCase(accepted.strip());
    }

    /**
     * One pooled client per proxy, and per whether answers are decoded: answers are read for usage, so one the
     * request accepted compressed (OAuth forwards the client's gzip/deflate, fixture 11) is decoded by the client;
     * a request without {@code accept-encoding} must not get one added (the decoding client would add it).
     */
    private HttpClient clientFor(String proxyJson, boolean decompress) {
        String cacheKey = (decompress ? "z:" : "") + (proxyJson == null ? "" : proxyJson);
        return clients.computeIfAbsent(cacheKey, k -> {
            HttpClientOptions options = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setConnectTimeout(10_000)
                    .setDecompressionSupported(decompress);
            ProxyOptions proxy = proxy(proxyJson);
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
            String user = p.getString("username");
            if (user != null && !user.isBlank()) {
                options.setUsername(user).setPassword(p.getString("password"));
            }
            return options;
        } catch (DecodeException | ClassCastException | NumberFormatException e) {
            LOG.warn("ignoring an account proxy that is not valid JSON");
            return null;
        }
    }

    @PreDestroy
    void close() {
        clients.values().forEach(HttpClient::close);
    }
}
