package dev.relay.scheduler;

import dev.relay.store.ConcurrencyLease;

/**
 * The account a request goes to, with the account's concurrency slot when it has a limit (else null).
 *
 * @param accountType the platform name the legacy writes in sticky mappings and usage (e.g. {@code claude-console})
 */
public record AccountSelection<A>(A account, String accountId, ConcurrencyLease lease, String accountType) {
}
