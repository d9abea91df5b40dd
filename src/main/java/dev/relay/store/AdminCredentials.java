package dev.relay.store;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Owns {@code session:admin_credentials} (redis-keys.md §2.11): the admin login the legacy dashboard checks,
 * a bcrypt {@code $2a$10$} hash as bcryptjs writes it, one-year TTL as written at the legacy's startup.
 */
@Singleton
public class AdminCredentials {
    public static final String KEY = "session:admin_credentials";
    public static final long TTL_SECONDS = 365L * 86_400L;

    /** The stored login; {@code passwordHash} is a bcrypt hash ({@code $2a$}, {@code $2b$} or {@code $2y$}). */
    public record Stored(String username, String passwordHash, String createdAt, String lastLogin, String updatedAt) {
    }

    private final RedisStore redis;

    public AdminCredentials(RedisStore redis) {
        this.redis = redis;
    }

    public Future<Boolean> exists() {
        return redis.send(Request.cmd(Command.EXISTS).arg(KEY)).map(r -> r.toLong() == 1);
    }

    /** The stored login, empty when the key is missing or has no username or hash (the legacy then reloads it). */
    public Future<Optional<Stored>> read() {
        return redis.send(Request.cmd(Command.HGETALL).arg(KEY)).map(reply -> {
            Map<String, String> f = Replies.hash(reply);
            if (LegacyValues.isBlank(f.get("username")) || LegacyValues.isBlank(f.get("passwordHash"))) {
                return Optional.empty();
            }
            return Optional.of(new Stored(f.get("username"), f.get("passwordHash"), f.getOrDefault("createdAt", ""),
                    f.getOrDefault("lastLogin", ""), f.getOrDefault("updatedAt", "")));
        });
    }

    /** Writes the credentials the way the legacy's initializeAdmin does (hashes on the calling thread). */
    public Future<Void> write(String username, String password, Instant now) {
        return store(new Stored(username, hash(password), LegacyClock.iso(now), "", ""), TTL_SECONDS);
    }

    /** HSET of all five fields (a JS null is stored as "") and the TTL, pipelined. */
    public Future<Void> store(Stored credentials, long ttlSeconds) {
        return redis.batch(List.of(
                Request.cmd(Command.HSET).arg(KEY).arg("username").arg(credentials.username())
                        .arg("passwordHash").arg(credentials.passwordHash())
                        .arg("createdAt").arg(nullToEmpty(credentials.createdAt()))
                        .arg("lastLogin").arg(nullToEmpty(credentials.lastLogin()))
                        .arg("updatedAt").arg(nullToEmpty(credentials.updatedAt())),
                Request.cmd(Command.EXPIRE).arg(KEY).arg(ttlSeconds))).mapEmpty();
    }

    /** bcryptjs' format: {@code $2a$}, cost 10, passwords cut at 72 bytes as bcryptjs does. CPU-heavy (~50 ms). */
    public static String hash(String password) {
        return BCrypt.with(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A))
                .hashToString(10, password.toCharArray());
    }

    /** Constant-time bcrypt check; false for a hash that is not bcrypt. CPU-heavy: never on an event loop. */
    public static boolean matches(String password, String passwordHash) {
        try {
            return BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A))
                    .verify(password.toCharArray(), passwordHash.toCharArray()).verified;
        } catch (RuntimeException notBcrypt) {
            return false;
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
