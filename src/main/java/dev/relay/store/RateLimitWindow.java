package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Owns {@code rate_limit:window_start|requests|tokens|cost:{keyId}} (redis-keys.md §2.8, relay.md §3.5). The
 * check is one Lua script (the legacy's separate commands, made atomic so the request limit holds exactly under
 * concurrency); the post-request counter updates are plain requests for the caller's usage pipeline.
 */
@Singleton
public class RateLimitWindow {
    private static final LuaScript CHECK = LuaScript.fromClasspath("rate_window_check.lua");

    private final RedisStore store;
    private final Clock clock;

    @Inject
    public RateLimitWindow(RedisStore store) {
        this(store, Clock.systemUTC());
    }

    public RateLimitWindow(RedisStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    static String windowStartKey(String keyId) {
        return "rate_limit:window_start:" + keyId;
    }

    static String requestsKey(String keyId) {
        return "rate_limit:requests:" + keyId;
    }

    static String tokensKey(String keyId) {
        return "rate_limit:tokens:" + keyId;
    }

    static String costKey(String keyId) {
        return "rate_limit:cost:" + keyId;
    }

    /**
     * Starts a new window if there is none or it is over, then admits (INCR requests) or refuses the request.
     * Call only when {@link RateWindowLimits#active()}.
     */
    public Future<RateWindowCheck> check(String keyId, RateWindowLimits limits) {
        long now = clock.millis();
        return CHECK.call(store,
                        List.of(windowStartKey(keyId), requestsKey(keyId), tokensKey(keyId), costKey(keyId)),
                        List.of(Long.toString(now),
                                Long.toString(limits.windowMillis()),
                                Long.toString(Math.max(0, limits.requestLimit())),
                                Long.toString(Math.max(0, limits.tokenLimit())),
                                LegacyValues.formatNumber(Math.max(0, limits.costLimit())),
                                limits.fuelActive() ? "1" : "0"))
                .map(reply -> new RateWindowCheck(
                        RateWindowCheck.Outcome.values()[reply.get(0).toInteger()],
                        limits,
                        now,
                        reply.get(1).toLong(),
                        reply.get(2).toLong(),
                        reply.get(3).toLong(),
                        LegacyValues.parseFloat(reply.get(4).toString())));
    }

    /**
     * The legacy updateRateLimitCounters writes after a request (relay.md §6.4): {@code INCRBY tokens
     * round(total)} when tokens > 0 and {@code INCRBYFLOAT cost} when the billable cost > 0. Empty when there is
     * nothing to add. Meant for the usage pipeline ({@link RedisStore#batch}).
     */
    public List<Request> afterRequest(String keyId, long totalTokens, double billableCost) {
        List<Request> requests = new ArrayList<>(2);
        if (totalTokens > 0) {
            requests.add(addTokens(keyId, totalTokens));
        }
        if (billableCost > 0) {
            requests.add(addCost(keyId, billableCost));
        }
        return requests;
    }

    public Request addTokens(String keyId, long tokens) {
        return Request.cmd(Command.INCRBY).arg(tokensKey(keyId)).arg(tokens);
    }

    /** {@code INCRBYFLOAT} with the cost written as JavaScript's {@code String(number)}. */
    public Request addCost(String keyId, double cost) {
        return Request.cmd(Command.INCRBYFLOAT).arg(costKey(keyId)).arg(LegacyValues.formatNumber(cost));
    }

    /** The window as the admin's key statistics show it: start (ms epoch, null when none) and the cost counted in it. */
    public record WindowState(Long startMs, double cost) {
    }

    public Future<WindowState> state(String keyId) {
        return store.batch(List.of(Request.cmd(io.vertx.redis.client.Command.GET).arg(windowStartKey(keyId)),
                Request.cmd(io.vertx.redis.client.Command.GET).arg(costKey(keyId)))).map(replies -> {
                    String start = Replies.text(replies.get(0));
                    String cost = Replies.text(replies.get(1));
                    return new WindowState(start == null ? null : LegacyValues.parseInt(start),
                            cost == null ? 0 : LegacyValues.parseFloat(cost));
                });
    }
}
