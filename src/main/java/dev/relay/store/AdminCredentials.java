package dev.relay.store;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * Owns {@code session:admin_credentials} (redis-keys.md §2.11): the admin login the legacy dashboard checks,
 * a bcrypt {@code $2a$10$} hash as bcryptjs writes it, one-year TTL as written at the legacy's startup.
 */
@Singleton
public class AdminCredentials {
    public static final String KEY = "session:admin_credentials";
    static final long TTL_SECONDS = 365L * 86_400L;

    private final RedisStore redis;

    public AdminCredentials(RedisStore redis) {
        this.redis = redis;
    }

    public Future<Boolean> exists() {
        return redis.send(Request.cmd(Command.EXISTS).arg(KEY)).map(r -> r.toLong() == 1);
    }

    /** Writes the credentials the way the legacy's initializeAdmin does. */
    public Future<Void> write(String username, String password, Instant now) {
        String hash = BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(10, password.toCharArray());
        return redis.batch(List.of(
                Request.cmd(Command.HSET).arg(KEY).arg("username").arg(username).arg("passwordHash").arg(hash)
                        .arg("createdAt").arg(LegacyClock.iso(now)).arg("lastLogin").arg("").arg("updatedAt").arg(""),
                Request.cmd(Command.EXPIRE).arg(KEY).arg(TTL_SECONDS))).mapEmpty();
    }
}
