package dev.relay.auth;

import dev.relay.store.ConcurrencyLease;

/**
 * A key that passed the whole authentication chain. {@code lease} is the key's concurrency slot (null when the
 * key has no limit or the route takes none); whoever receives this must release it exactly once.
 */
public record AuthorizedKey(ApiKey key, ConcurrencyLease lease, boolean windowActive) {
}
