package dev.relay.scheduler;

import dev.relay.account.Account;
import dev.relay.auth.ApiKey;
import dev.relay.store.SessionMapping;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/** Picks an account of one platform pool for a request and takes its lease; what the failover loop asks for. */
public interface AccountPicker<A extends Account> {
    /**
     * @param excluded accounts this request already failed on; never picked again
     * @param stickyRead the session's mapping when the caller already asked for it, else null
     */
    Future<AccountSelection<A>> select(ApiKey key, String sessionHash, String model, Set<String> excluded,
            Future<Optional<SessionMapping>> stickyRead);

    /**
     * As {@link #select(ApiKey, String, String, Set, Future)} for a request that names a vendor pool with its model
     * (e.g. {@code ccr,} for Claude, relay.md §4.2 step 2); pickers without vendor pools ignore it.
     *
     * @param vendor the vendor prefix without its comma, lower-case; null when the model names none
     * @param legacySessionHash the legacy's key for the same session when it differs from {@code sessionHash}
     *                          (null when it does not), to share one conversation's account with the legacy
     */
    default Future<AccountSelection<A>> select(ApiKey key, String sessionHash, String legacySessionHash, String model,
            String vendor, Set<String> excluded, Future<Optional<SessionMapping>> stickyRead) {
        return select(key, sessionHash, model, excluded, stickyRead);
    }
}
