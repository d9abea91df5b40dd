package dev.relay.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The usage backlog as metrics: {@code relay_usage_pending_events} (requests whose usage is not in Redis yet, in
 * memory or spooled) and {@code relay_usage_write_failures_total{reason}}.
 */
final class UsageWriteMetrics {
    static final String PENDING = "relay_usage_pending_events";
    static final String FAILURES = "relay_usage_write_failures_total";
    /** A pipeline failed or stalled; the batch waits and is retried. */
    static final String UNAVAILABLE = "unavailable";
    /** Redis ran the batch but refused commands in it (left as they are). */
    static final String COMMAND = "command";
    /** Redis refused the batch for good; kept in the spool's rejected folder. */
    static final String REJECTED = "rejected";
    /** A spool file could not be written or read. */
    static final String SPOOL = "spool";
    /** Usage dropped: the in-memory limit was reached with the spool unwritable. */
    static final String DROPPED = "dropped";

    private final MeterRegistry meters;
    private final AtomicLong pending;

    UsageWriteMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.pending = new AtomicLong();
        Gauge.builder(PENDING, pending, AtomicLong::get)
                .description("Requests whose usage waits to be written to Redis (memory and spool)")
                .register(meters);
    }

    void pending(long delta) {
        pending.addAndGet(delta);
    }

    long pending() {
        return pending.get();
    }

    void failure(String reason, int count) {
        Counter.builder(FAILURES).tag("reason", reason).register(meters).increment(count);
    }
}
