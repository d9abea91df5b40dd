package dev.relay.admin.auth;

import dev.relay.config.RelayConfig;
import dev.relay.config.Secrets;
import dev.relay.store.AdminCredentials;
import dev.relay.store.AdminCredentials.Stored;
import dev.relay.store.AdminLoginThrottle;
import dev.relay.store.AdminSessions;
import dev.relay.store.LegacyClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admin login and password change on the legacy's storage (admin-and-postgres.md §1.1–§1.7): bcrypt checks and
 * file I/O run on worker threads, Redis calls stay non-blocking.
 */
@Singleton
public class AdminLogin {
    /** A well-formed bcrypt hash of a random password: wrong usernames cost the same time as wrong passwords. */
    private static final String DECOY_HASH = AdminCredentials.hash(HexFormat.of().formatHex(randomBytes(16)));

    public sealed interface Outcome {
    }

    public record LoggedIn(String token, String username) implements Outcome {
    }

    public record Refused() implements Outcome {
    }

    public record Throttled(long retryAfterSeconds) implements Outcome {
    }

    private final AdminCredentials credentials;
    private final AdminSessions sessions;
    private final AdminLoginThrottle throttle;
    private final Secrets secrets;
    private final Vertx vertx;
    private final InitJson initJson;
    private final LoginLimits limits;

    public AdminLogin(AdminCredentials credentials, AdminSessions sessions, AdminLoginThrottle throttle,
            Secrets secrets, Vertx vertx, RelayConfig config, LoginLimits limits) {
        this.credentials = credentials;
        this.sessions = sessions;
        this.throttle = throttle;
        this.secrets = secrets;
        this.vertx = vertx;
        this.limits = limits;
        this.initJson = new InitJson(config.admin().initJson().filter(path -> !path.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(config.dataDir(), "init.json")));
    }

    /** Counts the attempt, then checks the password; a success opens a session as the legacy writes it. */
    public Future<Outcome> login(String address, String username, String password) {
        return throttle.attempt(address, username, limits.windowSeconds(), limits.maxPerAddress(), limits.maxPerUser())
                .compose(attempt -> attempt.refused()
                        ? Future.succeededFuture(new Throttled(attempt.retryAfterSeconds()))
                        : check(address, username, password));
    }

    private Future<Outcome> check(String address, String username, String password) {
        return storedOrReloaded().compose(stored -> vertx.executeBlocking(() -> {
            String hash = stored.map(Stored::passwordHash).orElse(DECOY_HASH);
            boolean passwordOk = AdminCredentials.matches(password, hash);
            boolean userOk = stored.isPresent() && sameText(username, stored.get().username());
            return userOk && passwordOk ? stored : Optional.<Stored>empty();
        }, false)).compose(match -> {
            if (match.isEmpty()) {
                return Future.succeededFuture(new Refused());
            }
            String token = HexFormat.of().formatHex(randomBytes(32));
            String now = LegacyClock.iso(Instant.now());
            return sessions.save(token, session(match.get().username(), now, now), AdminGate.SESSION_TTL_SECONDS)
                    .compose(saved -> throttle.succeeded(address, username).otherwiseEmpty())
                    .map(done -> (Outcome) new LoggedIn(token, match.get().username()));
        });
    }

    /**
     * {@code session:admin_credentials}, or, when it is gone, the login reloaded as the legacy does from
     * {@code init.json} (else from {@code ADMIN_USERNAME}/{@code ADMIN_PASSWORD}) and stored again for a year.
     */
    public Future<Optional<Stored>> storedOrReloaded() {
        return credentials.read().compose(stored -> {
            if (stored.isPresent()) {
                return Future.succeededFuture(stored);
            }
            return vertx.executeBlocking(this::reloadSource, false).compose(reloaded -> reloaded
                    .map(fresh -> credentials.store(fresh, AdminCredentials.TTL_SECONDS).map(v -> Optional.of(fresh)))
                    .orElseGet(() -> Future.succeededFuture(Optional.empty())));
        });
    }

    private Optional<Stored> reloadSource() {
        Optional<InitJson.Content> file = initJson.read();
        if (file.isPresent()) {
            InitJson.Content content = file.get();
            return Optional.of(new Stored(content.adminUsername(), AdminCredentials.hash(content.adminPassword()),
                    content.initializedAt(), "", ""));
        }
        if (secrets.adminPassword() != null) {
            return Optional.of(new Stored(secrets.adminUsername(), AdminCredentials.hash(secrets.adminPassword()),
                    LegacyClock.iso(Instant.now()), "", ""));
        }
        return Optional.empty();
    }

    /** Result of a password change. */
    public enum Change { CHANGED, NO_CREDENTIALS, WRONG_PASSWORD }

    /**
     * Checks the current password, rewrites {@code init.json} when this host has one (as the legacy does), stores the
     * new hash and deletes only the caller's session. The hash keeps a one-year TTL (the legacy's 24 h made the key
     * vanish for an instance that has no init.json to reload it from).
     */
    public Future<Change> changePassword(String token, String currentPassword, String newPassword, String newUsername) {
        return credentials.read().compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(Change.NO_CREDENTIALS);
            }
            Stored current = stored.get();
            String username = newUsername == null ? current.username() : newUsername;
            return vertx.executeBlocking(() -> {
                if (!AdminCredentials.matches(currentPassword, current.passwordHash())) {
                    return null;
                }
                String now = LegacyClock.iso(Instant.now());
                if (initJson.read().isPresent()) {
                    initJson.update(username, newPassword, now);
                }
                return new Stored(username, AdminCredentials.hash(newPassword), current.createdAt(), current.lastLogin(), now);
            }, false).compose(changed -> changed == null
                    ? Future.succeededFuture(Change.WRONG_PASSWORD)
                    : credentials.store(changed, AdminCredentials.TTL_SECONDS)
                            .compose(v -> sessions.delete(token)).map(v -> Change.CHANGED));
        });
    }

    static Map<String, String> session(String username, String loginTime, String lastActivity) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("username", username);
        fields.put("loginTime", loginTime);
        fields.put("lastActivity", lastActivity);
        return fields;
    }

    /** Equality in time independent of where the texts differ. */
    static boolean sameText(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
