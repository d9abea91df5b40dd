package dev.relay.store;

import org.jboss.logging.Logger;

/**
 * One held concurrency slot (a member of a {@code concurrency:*} ZSET). {@link #refresh} keeps it alive past its
 * lease; {@link #release} gives it back. Both are fire-and-forget: a failed release is retried until Redis takes it
 * or the lease has expired ({@link LeaseReleaseRetries}); a failed refresh is logged.
 */
public final class ConcurrencyLease {
    private static final Logger LOG = Logger.getLogger(ConcurrencyLease.class);

    private final ConcurrencyLeases leases;
    private final String leasesKey;
    private final String member;
    private final int leaseSeconds;
    private volatile long expiresAtMillis;

    public ConcurrencyLease(ConcurrencyLeases leases, String leasesKey, String member, int leaseSeconds,
            long expiresAtMillis) {
        this.leases = leases;
        this.leasesKey = leasesKey;
        this.member = member;
        this.leaseSeconds = leaseSeconds;
        this.expiresAtMillis = expiresAtMillis;
    }

    public void refresh() {
        long newExpiry = leases.now() + leaseSeconds * 1000L;
        leases.refresh(leasesKey, member, leaseSeconds)
                .onSuccess(held -> {
                    if (held) {
                        expiresAtMillis = newExpiry;
                    }
                })
                .onFailure(e -> LOG.warnf("could not refresh a lease in %s: %s", leasesKey, e.getMessage()));
    }

    public void release() {
        leases.releaseHeld(leasesKey, member, expiresAtMillis);
    }

    public String leasesKey() {
        return leasesKey;
    }

    public String member() {
        return member;
    }
}
