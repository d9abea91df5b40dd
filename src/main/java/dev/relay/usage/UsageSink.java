package dev.relay.usage;

import io.vertx.core.Future;

/**
 * Where the usage of a request goes when it leaves the pipeline: called once per billed request, with what the
 * upstream reported and the account that served it.
 *
 * <p>The returned future completes when the usage is durably booked. It fails with {@link UsageDeferred} when the
 * store cannot take it now: the usage then waits (spooled, or in memory) and is booked later, exactly once; the
 * caller has nothing to do. Any other failure means the usage is lost, and the sink has logged it as an ERROR.
 * The future never decides what the client gets: by the time it completes the answer may be gone.
 */
public interface UsageSink {
    /**
     * Books one request. With {@code accountHash} and {@code lastUsedAt} (both or neither), also sets the
     * {@code lastUsedAt} field of that account hash (formatted by its owner, e.g. {@code AccountStore.Kind}) in
     * the same write, as the legacy does after every billed upstream call.
     */
    Future<RecordedUsage> record(UsageEvent event, String accountHash, String lastUsedAt);
}
