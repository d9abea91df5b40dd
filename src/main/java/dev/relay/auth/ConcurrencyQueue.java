package dev.relay.auth;

import dev.relay.failure.RelayFailure;
import dev.relay.store.ClaudeRelaySettings.QueueSettings;
import dev.relay.store.ConcurrencyLease;
import dev.relay.store.ConcurrencyLeases;
import dev.relay.store.PollBackoff;
import dev.relay.store.RequestQueue;
import dev.relay.store.RequestQueue.Stat;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The optional wait for a concurrency slot (relay.md §3.4, middleware/auth.js waitForConcurrencySlot): overload
 * fast-fail on the P90 of recent waits, the queue counter (L6/L7, left exactly once), polling with exponential
 * backoff and jitter, statistics (L8) and wait-time samples (L9), with the legacy's bodies and Retry-After values.
 */
@Singleton
public class ConcurrencyQueue {
    private static final Logger LOG = Logger.getLogger(ConcurrencyQueue.class);
    /** QUEUE_POLLING_CONFIG (relay.md §3.4). */
    static final PollBackoff BACKOFF = new PollBackoff(200, 1.5, 0.2, 2000);

    private final ConcurrencyLeases leases;
    private final RequestQueue queue;
    private final Vertx vertx;

    public ConcurrencyQueue(ConcurrencyLeases leases, RequestQueue queue, Vertx vertx) {
        this.leases = leases;
        this.queue = queue;
        this.vertx = vertx;
    }

    /** Signals that the client left while queued: nothing is to be answered. */
    public static final class ClientGone extends RuntimeException {
        ClientGone() {
            super("client left while queued", null, false, false);
        }
    }

    /** Waits for a slot of {@code key}; succeeds with the held lease, or fails with the legacy's refusal. */
    public Future<ConcurrencyLease> waitForSlot(ApiKey key, String member, QueueSettings settings,
            BooleanSupplier clientGone, Runnable onQueued) {
        int limit = key.concurrencyLimit();
        long maxQueue = Math.max((long) limit * settings.maxSizeMultiplier(), settings.maxSize());
        return overloaded(key.id(), settings, maxQueue).compose(overload -> {
            if (overload != null) {
                return Future.failedFuture(overloadRefusal(limit, overload, settings, maxQueue));
            }
            return queue.enter(key.id(), settings.timeoutMs()).compose(position -> {
                if (position > maxQueue) {
                    return queue.leave(key.id()).compose(v -> Future.failedFuture(fullRefusal(limit, position - 1,
                            maxQueue, settings)));
                }
                queue.record(key.id(), Stat.ENTERED);
                onQueued.run();
                Promise<ConcurrencyLease> result = Promise.promise();
                poll(key, member, settings, maxQueue, clientGone, System.currentTimeMillis(), 0, 0, result);
                // the queue counter is left exactly once, however the wait ends, and before the request goes on
                // (or is answered): a client must never see its own request still counted as waiting
                return result.future().transform(done -> queue.leave(key.id()).otherwise(e -> {
                    LOG.warnf("queue counter of key %s not decremented: %s", key.id(), e.getMessage());
                    return 0L;
                }).compose(left -> done.succeeded() ? Future.succeededFuture(done.result())
                        : Future.<ConcurrencyLease>failedFuture(done.cause())));
            });
        });
    }

    private void poll(ApiKey key, String member, QueueSettings settings, long maxQueue, BooleanSupplier clientGone,
            long start, int polls, int redisFailures, Promise<ConcurrencyLease> result) {
        if (clientGone.getAsBoolean()) {
            queue.record(key.id(), Stat.CANCELLED);
            result.fail(new ClientGone());
            return;
        }
        if (System.currentTimeMillis() - start >= settings.timeoutMs()) {
            queue.record(key.id(), Stat.TIMEOUT);
            result.fail(timeoutRefusal(key.concurrencyLimit(), maxQueue, settings, System.currentTimeMillis() - start));
            return;
        }
        String leasesKey = ConcurrencyLeases.apiKeyLeases(key.id());
        leases.take(leasesKey, member, key.concurrencyLimit())
                .onComplete(ar -> {
                    int failures = redisFailures;
                    if (ar.succeeded() && ar.result().admitted()) {
                        long waited = System.currentTimeMillis() - start;
                        queue.recordWaitTime(key.id(), waited);
                        queue.record(key.id(), Stat.SUCCESS);
                        result.complete(ar.result().lease());
                        return;
                    }
                    if (ar.failed()) {
                        failures++;
                        LOG.errorf("Redis error while queued (%d/%d): %s", failures, settings.maxRedisFailCount(),
                                ar.cause().getMessage());
                        if (failures >= settings.maxRedisFailCount()) {
                            result.fail(RelayFailure.plain(503, "Service temporarily unavailable",
                                    "Failed to acquire concurrency slot due to internal error"));
                            return;
                        }
                    } else {
                        failures = 0;
                    }
                    int nextFailures = failures;
                    vertx.setTimer(BACKOFF.delayMs(polls), id -> poll(key, member, settings, maxQueue, clientGone,
                            start, polls + 1, nextFailures, result));
                });
    }

    /** A loaded queue whose recent waits say a newcomer would time out. */
    record Overload(long p90, long queueCount) {
    }

    /** An overload when the queue is loaded and slow enough to refuse at once, else null. */
    private Future<Overload> overloaded(String keyId, QueueSettings settings, long maxQueue) {
        if (!settings.healthCheckEnabled()) {
            return Future.succeededFuture(null);
        }
        return queue.waiting(keyId).compose(count -> {
            if (count == 0 || count <= Math.ceil(maxQueue * 0.5)) {
                return Future.succeededFuture((Overload) null);
            }
            return queue.waitTimes(keyId).map(samples -> {
                if (samples.size() < 10) {
                    return null;
                }
                List<Long> sorted = new ArrayList<>(samples);
                sorted.sort(Long::compare);
                long p90 = sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1);
                if (p90 < settings.timeoutMs() * settings.healthThreshold()) {
                    return null;
                }
                queue.record(keyId, Stat.REJECTED_OVERLOAD);
                return new Overload(p90, count);
            });
        }).recover(e -> {
            LOG.warnf("queue health check failed for %s: %s", keyId, e.getMessage());
            return Future.succeededFuture(null);
        });
    }

    private static RelayFailure overloadRefusal(int limit, Overload overload, QueueSettings s, long maxQueue) {
        long p90 = overload.p90();
        long count = overload.queueCount();
        return new RelayFailure(429, new JsonObject()
                .put("error", "Queue overloaded")
                .put("message", "Queue is overloaded. Estimated wait time (" + p90 + "ms) exceeds threshold. Limit: "
                        + limit + " concurrent requests, queue: " + count + "/" + maxQueue + ". Please retry later.")
                .put("currentConcurrency", limit).put("concurrencyLimit", limit).put("queueCount", count)
                .put("maxQueueSize", maxQueue).put("estimatedWaitMs", p90).put("timeoutMs", s.timeoutMs())
                .put("queueTimeoutMs", s.timeoutMs()).put("retryAfterSeconds", 30), Map.of("Retry-After", "30"));
    }

    private static RelayFailure fullRefusal(int limit, long waiting, long maxQueue, QueueSettings s) {
        long retryAfter = (long) Math.ceil(s.timeoutMs() / 1000.0);
        return new RelayFailure(429, new JsonObject()
                .put("error", "Concurrency queue full")
                .put("message", "Too many requests waiting in queue. Limit: " + limit + " concurrent requests, queue: "
                        + waiting + "/" + maxQueue + ", timeout: " + retryAfter + "s")
                .put("currentConcurrency", limit).put("concurrencyLimit", limit).put("queueCount", waiting)
                .put("maxQueueSize", maxQueue).put("queueTimeoutMs", s.timeoutMs())
                .put("retryAfterSeconds", retryAfter), Map.of("Retry-After", String.valueOf(retryAfter)));
    }

    private static RelayFailure timeoutRefusal(int limit, long maxQueue, QueueSettings s, long waited) {
        long timeoutSeconds = (long) Math.ceil(s.timeoutMs() / 1000.0);
        long retryAfter = Math.max(5, Math.min(30, (long) Math.ceil(timeoutSeconds / 2.0)));
        return new RelayFailure(429, new JsonObject()
                .put("error", "Queue timeout")
                .put("message", "Request timed out waiting for concurrency slot. Limit: " + limit
                        + " concurrent requests, maxQueue: " + maxQueue + ", Queue timeout: " + timeoutSeconds
                        + "s, waited: " + waited + "ms")
                .put("currentConcurrency", limit).put("concurrencyLimit", limit).put("maxQueueSize", maxQueue)
                .put("queueTimeoutMs", s.timeoutMs()).put("waitTimeMs", waited).put("retryAfterSeconds", retryAfter),
                Map.of("Retry-After", String.valueOf(retryAfter), "Connection", "close"));
    }
}
