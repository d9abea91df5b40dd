package dev.relay.usage;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One usage batch as one Redis transaction, sent as one pipeline: {@code MULTI}, the batch's commands, its commit
 * marker, {@code EXEC}; and what the replies mean.
 *
 * <p>How Vert.x Redis 4.5 reports the two kinds of errors (checked in {@code UsageTransactionTest}):
 * <ul>
 * <li>A command that fails while EXEC runs it (e.g. WRONGTYPE on a legacy key of an unexpected type) does not fail
 * the pipeline: EXEC's reply is an array holding an error in that command's place. Redis has applied every other
 * command, the marker included, so the batch counts as applied; the refused commands are only reported.</li>
 * <li>A command that Redis refuses to queue makes EXEC answer EXECABORT: nothing was applied and the pipeline
 * fails with {@code ERR [index] message} lines. OOM, READONLY, LOADING and their kind pass, so such a batch is
 * retried; any other reason (unknown command, wrong arguments) would fail the same way forever.</li>
 * </ul>
 */
final class UsageTransaction {
    /** Queue-time refusals that go away without changing the commands (memory, failover, loading, auth). */
    private static final Set<String> PASSING_REFUSALS = Set.of("OOM", "READONLY", "LOADING", "MISCONF", "BUSY",
            "NOAUTH", "NOPERM", "WRONGPASS", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MOVED", "ASK");
    private static final int DESCRIBED_CHARS = 200;

    private UsageTransaction() {
    }

    static List<Request> of(List<Request> commands, String instanceId, long seq) {
        List<Request> out = new ArrayList<>(commands.size() + 3);
        out.add(Request.cmd(Command.MULTI));
        out.addAll(commands);
        out.add(UsageCommitMarker.set(instanceId, seq));
        out.add(Request.cmd(Command.EXEC));
        return out;
    }

    /**
     * The commands EXEC ran but Redis refused, each described with its error; empty when all succeeded.
     *
     * @throws IllegalStateException when EXEC did not run the transaction at all (a nil reply)
     */
    static List<String> refusedInside(List<Request> sent, List<Response> replies) {
        Response exec = replies.get(replies.size() - 1);
        if (exec == null) {
            throw new IllegalStateException("EXEC answered nil: the transaction did not run");
        }
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < exec.size(); i++) {
            Response reply = exec.get(i);
            if (reply != null && reply.type() == ResponseType.ERROR) {
                refused.add(describe(sent.get(i + 1)) + " → " + reply);
            }
        }
        return refused;
    }

    /** Whether Redis discarded the transaction (EXECABORT) for a reason a retry of the same commands cannot cure. */
    static boolean refusedForGood(Throwable failure) {
        if (!(failure instanceof ErrorType) || failure.getMessage() == null
                || !failure.getMessage().contains("EXECABORT")) {
            return false;
        }
        boolean permanent = false;
        for (String line : failure.getMessage().split("\\R")) {
            // Vert.x: "ERR [index] message" per failed command, with the message's own "ERR " prefix removed
            int close = line.indexOf("] ");
            String message = close < 0 ? line : line.substring(close + 2);
            String code = message.split(" ", 2)[0].toUpperCase(Locale.ROOT);
            if (code.equals("EXECABORT")) {
                continue;
            }
            if (PASSING_REFUSALS.contains(code)) {
                return false;
            }
            permanent = true;
        }
        return permanent;
    }

    /** {@code HINCRBY usage:daily:k:2026-11-23 requests 1}, shortened. */
    static String describe(Request request) {
        StringBuilder out = new StringBuilder();
        for (String line : request.toString().split("\r\n")) {
            if (line.startsWith("*") || line.startsWith("$")) {
                continue;
            }
            if (out.length() > 0) {
                out.append(' ').append(line);
            } else {
                out.append(line.toUpperCase(Locale.ROOT)); // the command's name; Vert.x sends it in lower case
            }
            if (out.length() > DESCRIBED_CHARS) {
                out.setLength(DESCRIBED_CHARS);
                return out.append('…').toString();
            }
        }
        return out.toString();
    }
}
