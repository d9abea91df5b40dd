package dev.relay.usage;

import dev.relay.store.LuaScript;
import dev.relay.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One usage batch as one call of {@code lua/usage_batch.lua}: the batch's counters, records, events and expiries
 * and its commit marker, applied atomically in one round trip with one reply (the legacy's ~200 commands per
 * request would each cost a reply to parse).
 *
 * <p>What the outcomes mean:
 * <ul>
 * <li>A command Redis refuses for its data (e.g. WRONGTYPE on a legacy key of an unexpected type) does not stop
 * the script: it comes back in the reply's list, every other command and the marker are applied, and the batch
 * counts as applied.</li>
 * <li>A refusal of the server (OOM, READONLY, LOADING and their kind) arrives with the script's first write,
 * before anything was applied: the call fails and the batch is retried.</li>
 * <li>A batch the script cannot read is refused whole, before its first write: it would fail the same way
 * forever, so it is refused for good. Every other failure is retried.</li>
 * </ul>
 */
class UsageTransaction {
    static final LuaScript SCRIPT = LuaScript.fromClasspath("usage_batch.lua");
    private static final int DESCRIBED_CHARS = 200;

    private final long apiKeyTtl;
    private final int recordsKept;
    private final long recordsTtl;
    private final String stream;
    private final String streamMaxLen;

    UsageTransaction(long apiKeyTtl, int recordsKept, long recordsTtl, String stream, String streamMaxLen) {
        this.apiKeyTtl = apiKeyTtl;
        this.recordsKept = recordsKept;
        this.recordsTtl = recordsTtl;
        this.stream = stream;
        this.streamMaxLen = streamMaxLen;
    }

    /**
     * Applies the batch; the future's list names the commands Redis refused for their data (empty when none).
     * Redis that lost the script (restart, SCRIPT FLUSH) gets it again in the same step.
     */
    Future<List<String>> apply(RedisStore redis, UsageWrites writes, String instanceId, long seq) {
        Request bySha;
        try {
            bySha = call(Request.cmd(Command.EVALSHA).arg(SCRIPT.sha1()), writes, instanceId, seq);
        } catch (RuntimeException e) {
            return Future.failedFuture(new Malformed(e)); // a bug in the writes themselves: no retry can help
        }
        return redis.batch(List.of(bySha))
                .recover(e -> errorCode(e).equals("NOSCRIPT")
                        ? redis.batch(List.of(call(Request.cmd(Command.EVAL).arg(SCRIPT.source()), writes,
                                instanceId, seq)))
                        : Future.failedFuture(e))
                .map(replies -> refused(replies.get(0)));
    }

    /**
     * Applies the batch unless an earlier attempt did: when it {@code mayBeApplied} (sent before with an unknown
     * outcome, or replayed from a spool) its commit marker is read first, and the future's list is null if found.
     */
    Future<List<String>> applyOnce(RedisStore redis, UsageWrites writes, String instanceId, long seq,
            boolean mayBeApplied) {
        if (!mayBeApplied) {
            return apply(redis, writes, instanceId, seq);
        }
        return UsageCommitMarker.applied(redis, instanceId, seq).compose(applied -> applied
                ? Future.succeededFuture(null) : apply(redis, writes, instanceId, seq));
    }

    /** The script call: no declared keys (standalone Redis, as the legacy), the operations, the marker last. */
    Request call(Request script, UsageWrites writes, String instanceId, long seq) {
        script.arg(0);
        operations(script, writes);
        return UsageCommitMarker.appendTo(script, instanceId, seq);
    }

    /** The batch's operations; a test may add its own. */
    void operations(Request call, UsageWrites writes) {
        writes.appendOperations(call, apiKeyTtl, recordsKept, recordsTtl, stream, streamMaxLen);
    }

    /** The batch could not even be turned into a call. */
    static final class Malformed extends IllegalStateException {
        Malformed(Throwable cause) {
            super("usage batch cannot be encoded: " + cause, cause);
        }
    }

    private static List<String> refused(Response reply) {
        List<String> out = new ArrayList<>();
        if (reply != null) {
            for (int i = 0; i < reply.size(); i++) {
                out.add(shorten(reply.get(i).toString()));
            }
        }
        return out;
    }

    /**
     * Whether the call failed for a reason a retry of the same batch cannot cure: only the script's own refusal of a
     * batch it cannot read. Anything else (connection errors, which Vert.x may also report as an error reply, server
     * refusals) is retried: a batch is never given up on a guess.
     */
    static boolean refusedForGood(Throwable failure) {
        if (!(failure instanceof ErrorType)) {
            return false;
        }
        // Vert.x drops the "ERR " of an error reply inside a pipeline ("ERR [0] usage_batch: …")
        String message = errorMessage(failure);
        return message.startsWith("usage_batch:") || message.startsWith("ERR usage_batch:");
    }

    /**
     * The error's code ({@code OOM}, {@code NOSCRIPT}, ...): Vert.x reports an error inside a pipeline as
     * {@code ERR [index] message}, so that prefix is skipped.
     */
    static String errorCode(Throwable failure) {
        return errorMessage(failure).split("[ \\n]", 2)[0].toUpperCase(Locale.ROOT);
    }

    /** A failure in one line: Vert.x reports one line per failed command of a pipeline. */
    static String brief(Throwable cause) {
        String text = cause.toString();
        String[] lines = text.split("\\R");
        String first = lines[0].length() > 300 ? lines[0].substring(0, 300) + "…" : lines[0];
        return lines.length == 1 ? first : first + " (and " + (lines.length - 1) + " more errors, the last: "
                + lines[lines.length - 1] + ")";
    }

    private static String errorMessage(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        if (message.startsWith("ERR [")) {
            int close = message.indexOf("] ");
            message = close < 0 ? message : message.substring(close + 2);
        }
        return message;
    }

    private static String shorten(String text) {
        return text.length() > DESCRIBED_CHARS ? text.substring(0, DESCRIBED_CHARS) + "…" : text;
    }
}
