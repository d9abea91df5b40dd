package dev.relay.scheduler;

import dev.relay.account.Account;
import dev.relay.store.ConcurrencyLease;

/** The account a request goes to, with the account's concurrency slot when it has a limit (else null). */
public record AccountSelection<A extends Account>(A account, ConcurrencyLease lease) {
    public String accountId() {
        return account.id();
    }

    /** The platform name the legacy writes in sticky mappings and usage (e.g. {@code claude-console}). */
    public String accountType() {
        return account.platform().legacyName();
    }
}
