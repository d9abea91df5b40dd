package dev.relay.usage;

import dev.relay.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * Owns the {@code relay:usage_commit:{instanceId}} key family (relay only; the legacy never reads it): the sequence
 * number of the last usage batch a process applied, set by the batch's own script call, atomically with it. A process applies its
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

    /** Adds the commit of batch {@code seq} as the last operation of the batch's usage script call. */
    static Request appendTo(Request usageScriptCall, String instanceId, long seq) {
        return usageScriptCall.arg("M").arg(key(instanceId)).arg(seq).arg(TTL_SECONDS);
    }

    /** Whether batch {@code seq} of that process was applied already. */
    static Future<Boolean> applied(RedisStore redis, String instanceId, long seq) {
        return redis.send(Request.cmd(Command.GET).arg(key(instanceId)))
                .map(value -> value != null && Long.parseLong(value.toString()) >= seq);
    }
}
