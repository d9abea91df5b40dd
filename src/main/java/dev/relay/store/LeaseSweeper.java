package dev.relay.store;

import dev.relay.config.RelayConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Runs {@link ConcurrencyLeases#sweepExpired} on one periodic timer (the legacy's cleanup, redis-keys.md §4.1 L5),
 * so leases whose release never reached Redis leave the lease sets even when no request touches their key again.
 * A sweep still running when the next is due makes that one skip.
 */
@Singleton
public class LeaseSweeper {
    private static final Logger LOG = Logger.getLogger(LeaseSweeper.class);

    private final Vertx vertx;
    private final ConcurrencyLeases leases;
    private final long periodMs;
    private long timer = -1;
    private boolean sweeping;

    @Inject
    public LeaseSweeper(Vertx vertx, ConcurrencyLeases leases, RelayConfig config) {
        this(vertx, leases, config.leaseSweepSeconds() * 1000L);
    }

    /** @param periodMs 0 or less = never */
    public LeaseSweeper(Vertx vertx, ConcurrencyLeases leases, long periodMs) {
        this.vertx = vertx;
        this.leases = leases;
        this.periodMs = periodMs;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    public synchronized void start() {
        if (periodMs > 0 && timer == -1) {
            timer = vertx.setPeriodic(periodMs, id -> sweep());
        }
    }

    private void sweep() {
        synchronized (this) {
            if (sweeping) {
                return;
            }
            sweeping = true;
        }
        leases.sweepExpired()
                .onFailure(e -> LOG.debugf("lease sweep failed, next one in %d ms: %s", periodMs, e.getMessage()))
                .onComplete(done -> {
                    synchronized (this) {
                        sweeping = false;
                    }
                });
    }

    @PreDestroy
    public synchronized void stop() {
        if (timer != -1) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
