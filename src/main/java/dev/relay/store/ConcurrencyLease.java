package dev.relay.store;

import io.vertx.core.Future;
import org.jboss.logging.Logger;

/**
 * One held concurrency slot (a member of a {@code concurrency:*} ZSET). {@link #refresh} keeps it alive past its
 * lease; {@link #release} gives it back. Both are fire-and-forget and run one after the other, in the order they
 * were asked for, so a release always lands after a renewal still under way. A failed release is retried until
 * Redis takes it or the lease has expired ({@link LeaseReleaseRetries}); a failed renewal is tried again at the next
 * interval. A renewal that finds the lease gone (its expiry passed during a Redis outage longer than the lease, or
 * the legacy's shutdown deleted every {@code concurrency:*} key) puts it back: the request still holds the slot.
 */
public final class ConcurrencyLease {
    private static final Logger LOG = Logger.getLogger(ConcurrencyLease.class);

    private final ConcurrencyLeases leases;
    private final String leasesKey;
    private final String member;
    private final int leaseSeconds;
    private final long renewMillis;
    private volatile long expiresAtMillis;
    /** The latest renewal or release; the next one starts when it is done. Guarded by this. */
    private Future<?> last = Future.succeededFuture();
    private boolean released;

    public ConcurrencyLease(ConcurrencyLeases leases, String leasesKey, String member, int leaseSeconds,
            long expiresAtMillis, long renewMillis) {
        this.leases = leases;
        this.leasesKey = leasesKey;
        this.member = member;
        this.leaseSeconds = leaseSeconds;
        this.expiresAtMillis = expiresAtMillis;
        this.renewMillis = renewMillis;
    }

    /** How often a running request renews this lease. */
    public long renewMillis() {
        return renewMillis;
    }

    public synchronized void refresh() {
        if (!released) {
            last = last.transform(previous -> renew());
        }
    }

    private Future<Void> renew() {
        long newExpiry = leases.now() + leaseSeconds * 1000L;
        return leases.refresh(leasesKey, member, leaseSeconds).compose(held -> {
            if (held) {
                return Future.<Void>succeededFuture();
            }
            synchronized (this) {
                if (released) {
                    return Future.<Void>succeededFuture();
                }
            }
            LOG.debugf("a running request's lease in %s had vanished; put back", leasesKey);
            return leases.restore(leasesKey, member, leaseSeconds);
        }).onSuccess(v -> expiresAtMillis = newExpiry).onFailure(e -> LOG.debugf(
                "could not renew a lease in %s (tried again in %d ms): %s", leasesKey, renewMillis, e.getMessage()));
    }

    /** Gives the slot back once; later calls do nothing. */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        last = last.transform(previous -> leases.releaseHeld(leasesKey, member, expiresAtMillis));
    }

    public String leasesKey() {
        return leasesKey;
    }

    public String member() {
        return member;
    }
}
