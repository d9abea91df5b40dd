package dev.relay.scheduler;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.store.ConcurrencyLease;

/** The account a request goes to, with the account's concurrency slot when it has a limit (else null). */
public record AccountSelection(ClaudeConsoleAccount account, ConcurrencyLease lease, String accountType) {
}
