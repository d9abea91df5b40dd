package dev.relay.gateway;

import dev.relay.account.Account;
import dev.relay.store.RefreshLock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps OAuth access tokens fresh for one provider (relay.md §5.5): a token within 60 s of its expiry, or one the
 * upstream refused, is refreshed under the legacy's lock {@code token_refresh_lock:<platform>:<id>} (SET NX EX 60,
 * compare-and-delete), so two gateway instances, or a gateway and the legacy, never refresh one account at once.
 * Whoever does not get the lock waits, without holding a thread, for the token the winner stores. Requests of this
 * instance that need the same refresh share it.
 */
public final class RefreshingTokens<A extends Account> {
    private static final Logger LOG = Logger.getLogger(RefreshingTokens.class);
    public static final long EARLY_MS = 60_000;
    static final long POLL_MS = 200;

    private final TokenEndpoint<A> endpoint;
    private final RefreshLock lock;
    private final Vertx vertx;
    private final long waitMs;
    private final Clock clock;
    private final Map<String, Future<A>> inFlight = new ConcurrentHashMap<>();
    /** The newest refreshed account per id, so a request holding an older snapshot uses the new token. */
    private final Map<String, A> refreshed = new ConcurrentHashMap<>();

    public RefreshingTokens(TokenEndpoint<A> endpoint, RefreshLock lock, Vertx vertx, long waitMs, Clock clock) {
        this.endpoint = endpoint;
        this.lock = lock;
        this.vertx = vertx;
        this.waitMs = waitMs;
        this.clock = clock;
    }

    /** The account with a token valid for at least a minute; refreshes first when needed. */
    public Future<A> fresh(A account) {
        A newest = newest(account);
        if (isFresh(newest)) {
            return Future.succeededFuture(newest);
        }
        return refresh(newest, null);
    }

    /**
     * The upstream refused {@code rejectedToken}: refresh, unless the stored token is already another, fresh one.
     */
    public Future<A> afterRejection(A account, String rejectedToken) {
        A newest = newest(account);
        if (isFresh(newest) && !rejectedToken.equals(endpoint.accessToken(newest))) {
            return Future.succeededFuture(newest);
        }
        return refresh(newest, rejectedToken);
    }

    private A newest(A account) {
        A known = refreshed.get(account.id());
        return known != null && endpoint.expiresAtMs(known) > endpoint.expiresAtMs(account) ? known : account;
    }

    boolean isFresh(A account) {
        String token = endpoint.accessToken(account);
        long expiresAt = endpoint.expiresAtMs(account);
        return token != null && !token.isEmpty() && expiresAt > 0 && clock.millis() < expiresAt - EARLY_MS;
    }

    private boolean notExpired(A account) {
        String token = endpoint.accessToken(account);
        return token != null && !token.isEmpty() && clock.millis() < endpoint.expiresAtMs(account);
    }

    /** A usable stored token: fresh, and not the one the upstream refused. */
    private boolean usable(A account, String rejectedToken) {
        return isFresh(account) && (rejectedToken == null || !rejectedToken.equals(endpoint.accessToken(account)));
    }

    private Future<A> refresh(A account, String rejectedToken) {
        Promise<A> mine = Promise.promise();
        Future<A> shared = inFlight.putIfAbsent(account.id(), mine.future());
        if (shared != null) {
            return shared;
        }
        underLock(account, rejectedToken).onComplete(done -> {
            inFlight.remove(account.id(), mine.future());
            if (done.succeeded()) {
                refreshed.put(account.id(), done.result());
            }
            mine.handle(done);
        });
        return mine.future();
    }

    private Future<A> underLock(A account, String rejectedToken) {
        String owner = UUID.randomUUID().toString();
        return lock.tryAcquire(endpoint.lockPlatform(), account.id(), owner).compose(acquired -> {
            if (!acquired) {
                if (rejectedToken == null && notExpired(account)) {
                    return Future.succeededFuture(account); // refreshed early elsewhere; this token still works
                }
                LOG.debugf("token of account %s is being refreshed elsewhere; waiting for it", account.id());
                return waitForOther(account, rejectedToken, clock.millis() + waitMs);
            }
            return endpoint.reread(account.id())
                    .compose(stored -> {
                        A current = stored.orElse(account);
                        if (usable(current, rejectedToken)) {
                            return Future.succeededFuture(current); // refreshed just before we got the lock
                        }
                        return endpoint.refresh(current).recover(failure -> {
                            LOG.warnf("token refresh of account %s failed: %s", account.id(), failure.getMessage());
                            return endpoint.refreshFailed(current, failure).compose(v -> Future.failedFuture(failure));
                        });
                    })
                    .eventually(() -> lock.release(endpoint.lockPlatform(), account.id(), owner)
                            .otherwise(e -> {
                                LOG.warnf("refresh lock of account %s not released (expires by itself): %s",
                                        account.id(), e.getMessage());
                                return false;
                            }));
        });
    }

    /** Polls the stored account until the other refresher stored a usable token, or the wait is over. */
    private Future<A> waitForOther(A account, String rejectedToken, long deadline) {
        Promise<A> result = Promise.promise();
        vertx.setTimer(POLL_MS, t -> endpoint.reread(account.id()).onComplete(read -> {
            Optional<A> stored = read.succeeded() ? read.result() : Optional.empty();
            if (stored.isPresent() && usable(stored.get(), rejectedToken)) {
                result.complete(stored.get());
            } else if (clock.millis() >= deadline) {
                result.fail(new IllegalStateException("Token refresh in progress by another process"));
            } else {
                waitForOther(account, rejectedToken, deadline).onComplete(result);
            }
        }));
        return result.future();
    }
}
