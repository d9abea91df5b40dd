package dev.relay.store;

/**
 * Redis could not be reached or dropped the connection before answering (as opposed to an error reply, which Redis
 * gives while it works). Requests that need Redis are then answered with a retryable 503, not a 500.
 */
public final class RedisUnavailable extends RuntimeException {
    public RedisUnavailable(Throwable cause) {
        super("Redis unreachable: " + cause, cause, false, false);
    }
}
