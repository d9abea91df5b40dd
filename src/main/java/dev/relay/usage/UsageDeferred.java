package dev.relay.usage;

/**
 * The usage of a request could not be written to Redis yet and will be retried: it waits in the spool folder (or,
 * when that cannot be written, in memory) and is applied exactly once when Redis is back. Not a loss.
 */
public final class UsageDeferred extends RuntimeException {
    UsageDeferred(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
