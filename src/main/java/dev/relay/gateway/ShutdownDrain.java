package dev.relay.gateway;

import dev.relay.config.RelayConfig;
import dev.relay.store.ConcurrencyLeases;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * A graceful shutdown (SIGTERM), run on Quarkus' shutdown thread before any bean is destroyed: readiness goes down
 * and new requests are refused at once; requests in flight get {@code relay.shutdown-drain-seconds} to finish; those
 * still running are then ended (a stream with its terminal error event), billed and their leases released; the
 * releases get a moment to reach Redis. The usage queue is flushed or spooled after this, when the usage recorder
 * closes.
 */
@Singleton
public class ShutdownDrain {
    private static final Logger LOG = Logger.getLogger(ShutdownDrain.class);
    /** How long cut requests and lease releases may take after the drain deadline. */
    static final long SETTLE_MS = 5_000;
    private static final long POLL_MS = 20;

    private final InFlightRequests requests;
    private final ConcurrencyLeases leases;
    private final long drainMs;
    private boolean drained;

    public ShutdownDrain(InFlightRequests requests, ConcurrencyLeases leases, RelayConfig config) {
        this.requests = requests;
        this.leases = leases;
        this.drainMs = Math.max(0, config.shutdownDrainSeconds()) * 1000L;
    }

    /** Quarkus' pre-shutdown phase ({@code quarkus.shutdown.delay-enabled}): the HTTP server still serves. */
    void onShutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** The last chance, if the pre-shutdown phase did not run. */
    void onShutdown(@Observes ShutdownEvent event) {
        drain();
    }

    public synchronized void drain() {
        if (drained) {
            return;
        }
        drained = true;
        requests.stopTaking();
        List<Context> contexts = new ArrayList<>(requests.contexts());
        int running = requests.count();
        LOG.infof("shutdown: refusing new requests; %d in flight get up to %d s to finish", running, drainMs / 1000);
        if (!waitFor(() -> requests.count() == 0, drainMs)) {
            contexts.addAll(requests.contexts());
            LOG.warnf("shutdown: ending %d request(s) still running after %d s", requests.count(), drainMs / 1000);
            requests.cutAll();
            if (!waitFor(() -> requests.count() == 0, SETTLE_MS)) {
                LOG.warnf("shutdown: %d request(s) did not end in time", requests.count());
            }
        }
        // their bills were handed to the usage queue on these contexts: let those tasks run before it closes
        contexts.stream().distinct().forEach(ShutdownDrain::await);
        if (!waitFor(() -> leases.releasesPending() == 0, SETTLE_MS)) {
            LOG.warnf("shutdown: %d lease release(s) not confirmed by Redis; those leases lapse on their own",
                    leases.releasesPending());
        }
        LOG.info("shutdown: requests drained");
    }

    private static void await(Context context) {
        Promise<Void> ran = Promise.promise();
        context.runOnContext(v -> ran.complete());
        try {
            ran.future().toCompletionStage().toCompletableFuture().get(SETTLE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("shutdown: an event loop did not answer: %s", e.toString());
        }
    }

    private static boolean waitFor(BooleanSupplier condition, long limitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
        return true;
    }
}
