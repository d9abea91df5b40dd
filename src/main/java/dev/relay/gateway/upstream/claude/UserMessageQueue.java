package dev.relay.gateway.upstream.claude;

import dev.relay.store.ClaudeRelaySettings;
import dev.relay.store.PollBackoff;
import dev.relay.store.UserMessageLocks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The optional user-message queue (relay.md §5.2 step 1, off by default, switched on in the dashboard's
 * {@code claude_relay_config}): a request whose last message is a user's turn (not a tool result) waits until no
 * other such request of the same account is being sent, and until a short gap after the last one, through the
 * lock it shares with the legacy ({@link UserMessageLocks}). Waiting polls without blocking: after a gap the
 * remaining time, else 50 ms growing ×1.5 to 500 ms with ±15 % jitter, as the legacy does.
 */
@Singleton
public class UserMessageQueue {
    private static final Logger LOG = Logger.getLogger(UserMessageQueue.class);
    /** userMessageQueueService.js polling (redis-keys.md L11). */
    static final PollBackoff BACKOFF = new PollBackoff(50, 1.5, 0.15, 500);

    private final ClaudeRelaySettings settings;
    private final UserMessageLocks locks;
    private final Vertx vertx;

    public UserMessageQueue(ClaudeRelaySettings settings, UserMessageLocks locks, Vertx vertx) {
        this.settings = settings;
        this.locks = locks;
        this.vertx = vertx;
    }

    /** The queue's answer when a request could not get its turn: 503 on timeout, 500 when Redis failed. */
    public static final class Refused extends RuntimeException {
        final boolean backend;

        Refused(boolean backend, String detail) {
            super(detail, null, false, false);
            this.backend = backend;
        }

        public int status() {
            return backend ? 500 : 503;
        }

        public String type() {
            return backend ? "queue_backend_error" : "queue_timeout";
        }

        public JsonObject body() {
            return new JsonObject().put("type", "error").put("error", new JsonObject()
                    .put("type", type())
                    .put("code", backend ? "QUEUE_BACKEND_ERROR" : "QUEUE_TIMEOUT")
                    .put("message", backend ? "Queue service temporarily unavailable, please retry later"
                            : "User message queue wait timeout, please retry later"));
        }
    }

    /** A held turn; {@link #release} gives it back once (later calls do nothing). */
    public final class Turn {
        private final String accountId;
        private final String requestId;
        private boolean released;

        private Turn(String accountId, String requestId) {
            this.accountId = accountId;
            this.requestId = requestId;
        }

        /** Completes (never fails) once Redis has the lock back, so the next turn can start from the answer on. */
        public synchronized Future<Void> release() {
            if (released) {
                return Future.succeededFuture();
            }
            released = true;
            return locks.release(accountId, requestId).otherwise(e -> {
                LOG.warnf("user-message lock of account %s not released (%s); it expires by itself", accountId,
                        e.getMessage());
                return true;
            }).map(released -> {
                if (!released) {
                    LOG.warnf("user-message lock of account %s had expired before its release", accountId);
                }
                return null;
            });
        }
    }

    /**
     * Waits for the account's turn when the queue is on and the request is a user's turn; completes with null when
     * no turn is needed, fails with {@link Refused}. Stops waiting (null) once {@code gone} says the client left.
     */
    public Future<Turn> enter(String accountId, JsonObject body, BooleanSupplier gone) {
        if (!isUserTurn(body)) {
            return Future.succeededFuture();
        }
        return settings.userMessageQueue().compose(s -> {
            if (!s.enabled()) {
                return Future.succeededFuture();
            }
            Promise<Turn> turn = Promise.promise();
            String requestId = UUID.randomUUID().toString();
            long deadline = System.currentTimeMillis() + s.timeoutMs();
            attempt(accountId, requestId, s, deadline, 0, gone, turn);
            return turn.future();
        });
    }

    private void attempt(String accountId, String requestId, ClaudeRelaySettings.UserMessageQueueSettings s,
            long deadline, int polls, BooleanSupplier gone, Promise<Turn> turn) {
        locks.tryAcquire(accountId, requestId, s.lockTtlMs(), s.delayMs()).onComplete(ar -> {
            if (ar.failed()) {
                LOG.errorf("user-message queue: Redis failed for account %s: %s", accountId, ar.cause().getMessage());
                turn.fail(new Refused(true, ar.cause().getMessage()));
                return;
            }
            if (ar.result().acquired()) {
                Turn held = new Turn(accountId, requestId);
                if (gone.getAsBoolean()) {
                    held.release();
                    turn.complete();
                } else {
                    turn.complete(held);
                }
                return;
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                LOG.warnf("user-message queue: timeout waiting for account %s", accountId);
                turn.fail(new Refused(false, "timeout"));
                return;
            }
            if (gone.getAsBoolean()) {
                turn.complete();
                return;
            }
            long wait = ar.result().waitMs();
            int next = polls;
            if (wait <= 0) {
                wait = BACKOFF.delayMs(polls);
                next = polls + 1;
            }
            int polled = next;
            vertx.setTimer(Math.max(1, Math.min(wait, left)),
                    id -> attempt(accountId, requestId, s, deadline, polled, gone, turn));
        });
    }

    /** The last message is the user's and carries no tool result (userMessageQueueService.js). */
    static boolean isUserTurn(JsonObject body) {
        if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()
                || !(messages.getValue(messages.size() - 1) instanceof JsonObject last)
                || !"user".equals(last.getValue("role"))) {
            return false;
        }
        if (last.getValue("content") instanceof JsonArray blocks) {
            for (Object block : blocks) {
                if (block instanceof JsonObject b
                        && ("tool_result".equals(b.getValue("type")) || "tool_use_result".equals(b.getValue("type")))) {
                    return false;
                }
            }
        }
        return true;
    }
}
