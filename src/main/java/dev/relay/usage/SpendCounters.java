package dev.relay.usage;

import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * Reads what a key has spent, for the cost limits (redis-keys.md §2.3): one pipelined round trip.
 * "Billable" subtracts what fuel packs paid, floored at 0.
 */
@Singleton
public class SpendCounters {
    private final RedisStore redis;
    private final LegacyClock clock;

    public SpendCounters(RedisStore redis, LegacyClock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public record Spend(double daily, double fuelDaily, double total, double fuelTotal, double opusWeekly) {
        public double billableDaily() {
            return Math.max(0, daily - fuelDaily);
        }

        public double billableTotal() {
            return Math.max(0, total - fuelTotal);
        }
    }

    public Future<Spend> read(String keyId, Instant now) {
        List<Request> gets = List.of(
                Request.cmd(Command.GET).arg(CostKeys.daily(keyId, clock.date(now))),
                Request.cmd(Command.GET).arg(CostKeys.fuelUsedDaily(keyId, clock.date(now))),
                Request.cmd(Command.GET).arg(CostKeys.total(keyId)),
                Request.cmd(Command.GET).arg(CostKeys.fuelUsedTotal(keyId)),
                Request.cmd(Command.GET).arg(CostKeys.opusWeekly(keyId, clock.week(now))));
        return redis.batch(gets).map(r -> new Spend(number(r.get(0)), number(r.get(1)), number(r.get(2)),
                number(r.get(3)), number(r.get(4))));
    }

    private static double number(Response r) {
        return r == null ? 0 : LegacyValues.parseFloat(r.toString());
    }
}
