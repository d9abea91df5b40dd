package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Owns {@code relay:apistats_lookup:ip:{ip}}: key look-ups on the public statistics page per client address in fixed
 * windows, counted before the look-up ({@code lua/attempt_window.lua}) and forgotten after a successful one, so only
 * a run of failed look-ups (someone guessing keys) is stopped. The legacy has no limit (fixture 23); its readers never
 * see these keys.
 */
@Singleton
public class StatsLookupThrottle {
    private static final LuaScript ATTEMPT = LuaScript.fromClasspath("attempt_window.lua");

    /** Seconds to wait, 0 when the look-up may go ahead. */
    public record Verdict(long attempts, long retryAfterSeconds) {
        public boolean refused() {
            return retryAfterSeconds > 0;
        }
    }

    private final RedisStore redis;

    public StatsLookupThrottle(RedisStore redis) {
        this.redis = redis;
    }

    static String key(String address) {
        return "relay:apistats_lookup:ip:" + address;
    }

    public Future<Verdict> attempt(String address, long windowSeconds, long max) {
        return ATTEMPT.call(redis, List.of(key(address)), List.of(String.valueOf(windowSeconds), String.valueOf(max)))
                .map(reply -> new Verdict(reply.get(0).toLong(), reply.get(1).toLong()));
    }

    public Future<Void> succeeded(String address) {
        return redis.send(Request.cmd(Command.DEL).arg(key(address))).mapEmpty();
    }
}
