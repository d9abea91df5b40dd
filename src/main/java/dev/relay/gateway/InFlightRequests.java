package dev.relay.gateway;

import dev.relay.failure.RelayFailure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The requests this instance is serving, for a graceful shutdown ({@link ShutdownDrain}): before every route, a
 * request is either refused (shutdown has begun: a retryable 503, connection closed) or counted until its answer
 * has ended or its connection is gone. The health endpoints ({@code /q/*}) are neither refused nor counted.
 *
 * <p>A request whose answer is an event stream registers how to end it early ({@link #whenCut}): at the drain's
 * deadline the stream then gets its client API's terminal error event instead of a cut connection.
 */
@Singleton
public class InFlightRequests {
    /** Before {@link RouterEdge}, so a refusal costs nothing else. */
    static final int ORDER = RouterEdge.ORDER - 1;
    private static final String CUT = "relay.in-flight.cut";
    private static final long PRUNE_EVERY_MS = 1_000;

    private final Vertx vertx;
    private volatile boolean draining;
    /**
     * The requests being served, pruned every second once answered. Only the response, connection and context are
     * kept (not the routing context, which holds the request body).
     */
    private final Set<Tracked> requests = ConcurrentHashMap.newKeySet();
    private long pruneTimer = -1;

    public InFlightRequests(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Shutdown has begun: every new request is refused from now on, and readiness is down. */
    void stopTaking() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    void register(@Observes Router router) {
        router.route().order(ORDER).handler(this::onRequest);
        synchronized (this) {
            if (pruneTimer == -1) {
                pruneTimer = vertx.setPeriodic(PRUNE_EVERY_MS, id -> prune());
            }
        }
    }

    private void onRequest(RoutingContext ctx) {
        if (ctx.normalizedPath().startsWith("/q/")) {
            ctx.next();
            return;
        }
        if (draining) {
            ctx.response().endHandler(v -> ctx.request().connection().close());
            ClientAnswer.error(ctx, RelayFailure.shuttingDown());
            return;
        }
        Tracked tracked = new Tracked(ctx.response(), ctx.request().connection(), Vertx.currentContext(),
                new AtomicReference<>());
        ctx.put(CUT, tracked.cut());
        requests.add(tracked);
        ctx.next();
    }

    /**
     * How to end this request's answer early at shutdown (e.g. a stream's terminal error event in its client API's
     * format, its usage billed and its leases released). Called on the request's own context.
     */
    public static void whenCut(RoutingContext ctx, Runnable cut) {
        AtomicReference<Runnable> slot = ctx.get(CUT);
        if (slot != null) {
            slot.set(cut);
        }
    }

    /** Requests whose answer has not ended yet. */
    public int count() {
        prune();
        return requests.size();
    }

    /** The event-loop contexts of the requests still counted (to run something after their pending tasks). */
    List<Context> contexts() {
        return requests.stream().map(Tracked::context).distinct().toList();
    }

    /**
     * Ends every request still running: a registered cut where there is one, else its connection is closed (which
     * ends the request's exchange like a client that left).
     */
    void cutAll() {
        requests.forEach(tracked -> tracked.context().runOnContext(v -> cut(tracked)));
    }

    private static void cut(Tracked tracked) {
        if (tracked.done()) {
            return;
        }
        Runnable cut = tracked.cut().get();
        if (cut != null) {
            cut.run();
        } else {
            tracked.connection().close();
        }
    }

    private void prune() {
        requests.removeIf(Tracked::done);
    }

    /** One request being served; {@code cut} is set by {@link #whenCut}. Identity, not value, equality. */
    private static final class Tracked {
        private final HttpServerResponse response;
        private final HttpConnection connection;
        private final Context context;
        private final AtomicReference<Runnable> cut;

        Tracked(HttpServerResponse response, HttpConnection connection, Context context,
                AtomicReference<Runnable> cut) {
            this.response = response;
            this.connection = connection;
            this.context = context;
            this.cut = cut;
        }

        HttpConnection connection() {
            return connection;
        }

        Context context() {
            return context;
        }

        AtomicReference<Runnable> cut() {
            return cut;
        }

        boolean done() {
            return response.ended() || response.closed();
        }
    }
}
