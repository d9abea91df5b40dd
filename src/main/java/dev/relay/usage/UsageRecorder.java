package dev.relay.usage;

import dev.relay.config.RelayConfig;
import dev.relay.store.LegacyClock;
import dev.relay.store.RedisStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The Redis usage sink: books one request the way the legacy {@code recordUsageWithDetails} does (relay.md §6.4,
 * redis-keys.md §2.2, §2.3, §2.15; what is written: {@link UsagePlanner}), in ONE round trip (one atomic call of
 * {@code lua/usage_batch.lua}, retried exactly once-applied when Redis fails: {@link UsageWriteQueue}). Owns the
 * {@code usage:*}, {@code account_usage:*}, {@code system:metrics:*} and {@code billing:events} key families;
 * also touches {@code apikey:{id}.lastUsedAt} and the {@code rate_limit:tokens|cost:{id}} window counters because
 * the legacy does so in the same step.
 *
 * <p>Differences from the legacy, on purpose: {@code system:metrics:minute:*} gets a 600 s TTL (pitfall P6, the
 * legacy's {@code EXPIRE … NaN} leaves them forever); {@code lastUsedAt} is only written while the key exists;
 * fuel packs are not consumed ({@code fuelCost} is always 0, billable = cost).
 */
@Singleton
public class UsageRecorder implements UsageSink {
    static final long RECORDS_TTL = 90 * 86_400L;
    static final long API_KEY_TTL = 365 * 86_400L;
    static final int RECORDS_KEPT = 200;
    static final String BILLING_STREAM = "billing:events";
    static final String BILLING_MAXLEN = "100000";

    private final UsagePlanner planner;
    private final UsageWriteQueue queue;

    @Inject
    public UsageRecorder(RedisStore redis, LegacyClock clock, CostCalculator costs, Vertx vertx, RelayConfig config,
            MeterRegistry meters) {
        this(redis, clock, costs, vertx, Path.of(config.usage().spoolDir()), meters, UsageWriteTuning.DEFAULT);
    }

    /** Starts at once: batches spooled by ended processes in {@code spoolDir} are replayed first. */
    UsageRecorder(RedisStore redis, LegacyClock clock, CostCalculator costs, Vertx vertx, Path spoolDir,
            MeterRegistry meters, UsageWriteTuning tuning) {
        this.planner = new UsagePlanner(clock, costs);
        this.queue = new UsageWriteQueue(redis, vertx, new UsageTransaction(API_KEY_TTL, RECORDS_KEPT, RECORDS_TTL,
                BILLING_STREAM, BILLING_MAXLEN), spoolDir, new UsageWriteMetrics(meters), tuning);
        queue.start();
    }

    /** Created at start-up, not at the first request: the spooled backlog of earlier runs is replayed at once. */
    void onStart(@Observes StartupEvent event) {
        // constructing the bean is the point
    }

    /** Drains or spools what is still waiting (see {@link UsageWriteQueue#close}). */
    @PreDestroy
    void close() {
        queue.close();
    }

    /** {@link #record(UsageEvent, String, String)} without an account to touch. */
    public Future<RecordedUsage> record(UsageEvent event) {
        return record(event, null, null);
    }

    /**
     * Writes every counter, record and event of one request in one round trip, as one atomic script call with
     * the requests merged into it (group commit: while a pipeline is in flight, the requests that finish meanwhile
     * are merged and written by the next one, so under load Redis executes far fewer commands per request). The
     * future completes when the usage is in Redis; it is deferred while Redis fails or does not answer.
     */
    @Override
    public Future<RecordedUsage> record(UsageEvent event, String accountHash, String lastUsedAt) {
        UsagePlanner.Plan plan = planner.plan(event, accountHash, lastUsedAt);
        return queue.submit(plan.writes()).map(ignored -> plan.result());
    }
}
