package dev.relay.store;

/**
 * How long a concurrency lease counts without renewal, and how often a running request renews it. The lease is the
 * bound within which the leases of a process that died stop counting; the renewal keeps a live request's lease
 * far from that bound.
 *
 * @param leaseSeconds at least {@link #MIN_LEASE_SECONDS}
 * @param renewSeconds between 1 and a third of the lease, so two renewals may fail before a live lease lapses
 */
public record LeaseTerms(int leaseSeconds, int renewSeconds) {
    /** The legacy's lease (redis.js _getConcurrencyConfig leaseSeconds) and renewal interval. */
    public static final LeaseTerms LEGACY = new LeaseTerms(300, 30);
    static final int MIN_LEASE_SECONDS = 10;

    public LeaseTerms {
        leaseSeconds = Math.max(MIN_LEASE_SECONDS, leaseSeconds);
        renewSeconds = Math.max(1, Math.min(renewSeconds, leaseSeconds / 3));
    }

    public long renewMillis() {
        return renewSeconds * 1000L;
    }
}
