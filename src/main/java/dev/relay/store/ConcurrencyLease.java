package dev.relay.store;

import org.jboss.logging.Logger;

/**
 * One held concurrency slot (a member of a {@code concurrency:*} ZSET). {@link #refresh} keeps it alive past its
 * lease; {@link #release} gives it back. Both are fire-and-forget: a failed release is healed by the lease expiry
 * and the legacy's sweep, and is logged.
 */
public final class ConcurrencyLease {
    private static final Logger LOG = Logger.getLogger(ConcurrencyLease.class);

    private final ConcurrencyLeases leases;
    private final String leasesKey;
    private final String member;
    private final int leaseSeconds;

    public ConcurrencyLease(ConcurrencyLeases leases, String leasesKey, String member, int leaseSeconds) {
        this.leases = leases;
        this.leasesKey = leasesKey;
        this.member = member;
        this.leaseSeconds = leaseSeconds;
    }

    public void refresh() {
        leases.refresh(leasesKey, member, leaseSeconds)
                .onFailure(e -> LOG.warnf("could not refresh lease %s in %s: %s", member, leasesKey, e.getMessage()));
    }

    public void release() {
        leases.release(leasesKey, member)
                .onFailure(e -> LOG.warnf("could not release lease %s in %s: %s", member, leasesKey, e.getMessage()));
    }

    public String leasesKey() {
        return leasesKey;
    }

    public String member() {
        return member;
    }
}
