package dev.relay.usage;

import dev.relay.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * Owns the {@code relay:usage_commit:{instanceId}} key family (relay only; the legacy never reads it): the sequence
 * number of the last usage batch a process applied, set inside the batch's own transaction. A process applies its
 * batches strictly one after another, so "marker ≥ seq" means "batch seq was applied" and a batch whose outcome
 * is unknown can be retried without counting it twice.
 */
final class UsageCommitMarker {
    /** A week: far longer than any retry; a spooled batch replayed later than that is checked against nothing. */
    static final long TTL_SECONDS = 604_800;

    private UsageCommitMarker() {
    }

    static String key(String instanceId) {
        return "relay:usage_commit:" + instanceId;
    }

    /** The command that commits batch {@code seq}; goes last inside the batch's MULTI/EXEC. */
    static Request set(String instanceId, long seq) {
        return Request.cmd(Command.SET).arg(key(instanceId)).arg(seq).arg("EX").arg(TTL_SECONDS);
    }

    /** Whether batch {@code seq} of that process was applied already. */
    static Future<Boolean> applied(RedisStore redis, String instanceId, long seq) {
        return redis.send(Request.cmd(Command.GET).arg(key(instanceId)))
                .map(value -> value != null && Long.parseLong(value.toString()) >= seq);
    }
}
