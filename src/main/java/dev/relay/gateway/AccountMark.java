package dev.relay.gateway;

/**
 * What an upstream failure says about the account that served it. The state machine that picks the mark is
 * shared ({@link Verdict#ofStatus}); the Redis fields each mark writes belong to the platform's upstream adapter.
 */
public enum AccountMark {
    NONE,
    /** 429: out of quota until its window resets. */
    RATE_LIMITED,
    /** 529: the upstream is overloaded. */
    OVERLOADED,
    /** 403 from a subscription account: suspended by the provider, out until an admin resets it. */
    BANNED,
    /** 401: the credential was refused. */
    UNAUTHORIZED,
    /** 5xx: kept out of scheduling for a cool-down. */
    TEMPORARILY_UNAVAILABLE,
    /** Not reached at all (refused or reset connection, DNS, connect timeout): a short cool-down. */
    UNREACHABLE,
    /** Reached, but no answer in time: kept out of scheduling like a 5xx. */
    TIMED_OUT
}
