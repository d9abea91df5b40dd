package dev.relay.scheduler;

import dev.relay.account.Account;
import dev.relay.account.CcrAccount;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ClaudeOAuthAccount;
import java.time.Instant;

/** The per-type rules of the unified Claude pool (relay.md §4.2), one call per question whatever the type. */
final class ClaudeEligibility {
    private ClaudeEligibility() {
    }

    static boolean inPool(Account a, String model, Instant now) {
        if (a instanceof ClaudeOAuthAccount o) {
            return OAuthEligibility.inPool(o, model, now);
        }
        if (a instanceof ClaudeConsoleAccount c) {
            return ConsoleEligibility.inPool(c, model, now);
        }
        return a instanceof CcrAccount c && CcrEligibility.inPool(c, model, now);
    }

    static boolean usableForSticky(Account a, String model, Instant now) {
        if (a instanceof ClaudeOAuthAccount o) {
            return OAuthEligibility.usable(o, model, now);
        }
        if (a instanceof ClaudeConsoleAccount c) {
            return ConsoleEligibility.usableForSticky(c, model, now);
        }
        return a instanceof CcrAccount c && CcrEligibility.usable(c, model, now);
    }
}
