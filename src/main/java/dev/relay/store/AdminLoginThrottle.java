package dev.relay.store;

import io.vertx.core.Future;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Owns {@code relay:admin_login:ip:{ip}} and {@code relay:admin_login:user:{sha256(username)}}: login attempts not
 * (yet) followed by a success, per client address and per username, in fixed windows. The legacy has no limit
 * (fixture 20, 30 failures in a row); its readers never see these keys. An attempt is counted before the password is
 * checked ({@code lua/admin_login_attempt.lua}), so a burst of concurrent guesses cannot get past the limit.
 */
@Singleton
public class AdminLoginThrottle {
    private static final LuaScript ATTEMPT = LuaScript.fromClasspath("admin_login_attempt.lua");
    static final String PREFIX = "relay:admin_login:";

    /** Attempts counted in the current windows; {@code retryAfterSeconds} &gt; 0 when one of them is over its limit. */
    public record Attempt(long byAddress, long byUser, long retryAfterSeconds) {
        public boolean refused() {
            return retryAfterSeconds > 0;
        }
    }

    private final RedisStore redis;

    public AdminLoginThrottle(RedisStore redis) {
        this.redis = redis;
    }

    static String addressKey(String address) {
        return PREFIX + "ip:" + address;
    }

    static String userKey(String username) {
        return PREFIX + "user:" + sha256(username);
    }

    /** Counts one attempt in both windows (created with {@code windowSeconds} on the first attempt). */
    public Future<Attempt> attempt(String address, String username, long windowSeconds, long maxPerAddress,
            long maxPerUser) {
        return ATTEMPT.call(redis, List.of(addressKey(address), userKey(username)),
                List.of(String.valueOf(windowSeconds), String.valueOf(maxPerAddress), String.valueOf(maxPerUser)))
                .map(reply -> new Attempt(reply.get(0).toLong(), reply.get(1).toLong(), reply.get(2).toLong()));
    }

    /** A successful login forgets the attempts of its address and its username. */
    public Future<Void> succeeded(String address, String username) {
        return redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL)
                .arg(addressKey(address)).arg(userKey(username))).mapEmpty();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
