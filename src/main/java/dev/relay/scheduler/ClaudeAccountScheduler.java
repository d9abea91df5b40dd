package dev.relay.scheduler;

import dev.relay.account.AccountGroupStore;
import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.Platform;
import dev.relay.auth.ApiKey;
import dev.relay.config.RelayConfig;
import dev.relay.failure.RelayFailure;
import dev.relay.failure.RetryHeaders;
import dev.relay.store.AccountHealthMarks;
import dev.relay.store.ConcurrencyLease;
import dev.relay.store.ConcurrencyLeases;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.SessionMapping;
import dev.relay.store.StickySessions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Picks the Claude account for a request (relay.md §4.2): dedicated binding, group, sticky session, then the
 * shared pool by priority and least-recent use, skipping accounts that are rate-limited, temporarily
 * unavailable, at their concurrency limit or already tried by this request. Serves Claude Console accounts.
 */
@Singleton
public class ClaudeAccountScheduler implements AccountPicker<ClaudeConsoleAccount> {
    private static final Logger LOG = Logger.getLogger(ClaudeAccountScheduler.class);
    public static final String CONSOLE = Platform.CLAUDE_CONSOLE.legacyName();
    /** The legacy answers a request no account can take with 500 (relay.md §4.2 step 8). */
    static final int NO_ACCOUNT_STATUS = 500;

    private final ConsoleAccountPool pool;
    private final AccountStore accounts;
    private final AccountGroupStore groups;
    private final StickySessions sticky;
    private final AccountHealthMarks health;
    private final ConcurrencyLeases leases;
    private final long stickyTtlSeconds;
    private final int renewalThresholdMinutes;
    private final Clock clock;

    @Inject
    public ClaudeAccountScheduler(ConsoleAccountPool pool, AccountStore accounts, AccountGroupStore groups,
            StickySessions sticky, AccountHealthMarks health, ConcurrencyLeases leases, RelayConfig config) {
        this(pool, accounts, groups, sticky, health, leases, (long) Math.max(1, Math.floor(config.sticky().ttlHours() * 3600)),
                config.sticky().renewalThresholdMinutes(), Clock.systemUTC());
    }

    ClaudeAccountScheduler(ConsoleAccountPool pool, AccountStore accounts, AccountGroupStore groups,
            StickySessions sticky, AccountHealthMarks health, ConcurrencyLeases leases, long stickyTtlSeconds,
            int renewalThresholdMinutes, Clock clock) {
        this.pool = pool;
        this.accounts = accounts;
        this.groups = groups;
        this.sticky = sticky;
        this.health = health;
        this.leases = leases;
        this.stickyTtlSeconds = stickyTtlSeconds;
        this.renewalThresholdMinutes = renewalThresholdMinutes;
        this.clock = clock;
    }

    /** See {@link AccountPicker#select}: relay.md §4.2 for Claude Console accounts. */
    @Override
    public Future<AccountSelection<ClaudeConsoleAccount>> select(ApiKey key, String sessionHash, String model, Set<String> excluded,
            Future<Optional<SessionMapping>> stickyRead) {
        Instant now = clock.instant();
        return refuseHealthyOAuthBinding(key).compose(v -> pool.all()).compose(accounts -> {
            String bound = key.claudeConsoleAccountId();
            if (!LegacyValues.isBlank(bound) && !excluded.contains(bound)) {
                ClaudeConsoleAccount dedicated = find(accounts, bound);
                if (dedicated != null && dedicated.active() && "active".equals(dedicated.status())
                        && dedicated.schedulable()) {
                    return notTempUnavailable(List.of(dedicated)).compose(ok -> ok.isEmpty()
                            ? fromSticky(accounts, key, sessionHash, model, excluded, now, stickyRead)
                            : claim(ok, sessionHash, false, model));
                }
            }
            return fromSticky(accounts, key, sessionHash, model, excluded, now, stickyRead);
        });
    }

    private Future<AccountSelection<ClaudeConsoleAccount>> fromSticky(List<ClaudeConsoleAccount> accounts, ApiKey key, String sessionHash,
            String model, Set<String> excluded, Instant now, Future<Optional<SessionMapping>> stickyRead) {
        Future<Predicate<ClaudeConsoleAccount>> membership = groupFilter(key);
        if (sessionHash == null) {
            return membership.compose(member -> fromPool(accounts, member, sessionHash, model, excluded, now));
        }
        Future<Optional<SessionMapping>> read = stickyRead != null ? stickyRead : sticky.get(sessionHash);
        return membership.compose(member -> read.compose(mapping -> {
            if (mapping.isPresent()) {
                ClaudeConsoleAccount mapped = CONSOLE.equals(mapping.get().accountType())
                        ? find(accounts, mapping.get().accountId()) : null;
                if (mapped != null && !excluded.contains(mapped.id()) && member.test(mapped)
                        && ConsoleEligibility.usableForSticky(mapped, model, now)) {
                    return claim(List.of(mapped), sessionHash, true, model).recover(full -> {
                        LOG.debugf("sticky account %s unavailable: %s", mapped.id(), full.getMessage());
                        return sticky.delete(sessionHash)
                                .compose(v -> fromPool(accounts, member, sessionHash, model, excluded, now));
                    });
                }
                return sticky.delete(sessionHash)
                        .compose(v -> fromPool(accounts, member, sessionHash, model, excluded, now));
            }
            return fromPool(accounts, member, sessionHash, model, excluded, now);
        }));
    }

    private Future<AccountSelection<ClaudeConsoleAccount>> fromPool(List<ClaudeConsoleAccount> accounts,
            Predicate<ClaudeConsoleAccount> member, String sessionHash, String model, Set<String> excluded,
            Instant now) {
        List<ClaudeConsoleAccount> candidates = new ArrayList<>();
        for (ClaudeConsoleAccount a : accounts) {
            if (!excluded.contains(a.id()) && member.test(a) && ConsoleEligibility.inPool(a, model, now)) {
                candidates.add(a);
            }
        }
        candidates.sort(Comparator.comparingInt(ClaudeConsoleAccount::priority)
                .thenComparing(a -> a.lastUsedAt() == null ? "" : a.lastUsedAt()));
        if (candidates.isEmpty()) {
            return Future.failedFuture(noAccount(model, soonestBack(accounts, member, model, excluded, now), now));
        }
        List<String> ids = candidates.stream().map(ClaudeConsoleAccount::id).toList();
        return health.temporarilyUnavailable(CONSOLE, ids).compose(marked -> {
            List<ClaudeConsoleAccount> available = candidates.stream().filter(a -> !marked.containsKey(a.id()))
                    .toList();
            return available.isEmpty() ? Future.failedFuture(CoolingDown.failure(model, marked.values()))
                    : claim(available, sessionHash, false, model);
        });
    }

    /** Takes the first candidate whose concurrency slot is free; remembers the session's account. */
    private Future<AccountSelection<ClaudeConsoleAccount>> claim(List<ClaudeConsoleAccount> candidates, String sessionHash,
            boolean fromSticky, String model) {
        return claimFrom(candidates, 0, sessionHash, fromSticky);
    }

    private Future<AccountSelection<ClaudeConsoleAccount>> claimFrom(List<ClaudeConsoleAccount> candidates, int index, String sessionHash,
            boolean fromSticky) {
        if (index >= candidates.size()) {
            return Future.failedFuture(new RelayFailure(503, new JsonObject().put("error", "service_unavailable")
                    .put("message", "All available accounts have reached their concurrency limit. Please try again later.")));
        }
        ClaudeConsoleAccount account = candidates.get(index);
        Future<AccountSelection<ClaudeConsoleAccount>> taken;
        if (account.maxConcurrentTasks() > 0) {
            String leasesKey = ConcurrencyLeases.consoleAccountLeases(account.id());
            taken = leases.take(leasesKey, UUID.randomUUID().toString(), account.maxConcurrentTasks()).compose(result -> result.admitted()
                            ? Future.succeededFuture(new AccountSelection<>(account, result.lease()))
                            : claimFrom(candidates, index + 1, sessionHash, fromSticky));
        } else {
            taken = Future.succeededFuture(new AccountSelection<>(account, null));
        }
        // a lease taken for a selection that then fails is nobody's: give it back at once
        return taken.compose(selection -> remember(selection, sessionHash, fromSticky).map(selection).recover(e -> {
            if (selection.lease() != null) {
                selection.lease().release();
            }
            return Future.failedFuture(e);
        }));
    }

    private Future<Void> remember(AccountSelection<ClaudeConsoleAccount> selection, String sessionHash, boolean fromSticky) {
        if (sessionHash == null) {
            return Future.succeededFuture();
        }
        if (fromSticky) {
            return renewalThresholdMinutes > 0
                    ? sticky.renewIfBelow(sessionHash, stickyTtlSeconds, renewalThresholdMinutes).mapEmpty()
                    : Future.succeededFuture();
        }
        return sticky.set(sessionHash, selection.account().id(), CONSOLE, stickyTtlSeconds);
    }

    private Future<List<ClaudeConsoleAccount>> notTempUnavailable(List<ClaudeConsoleAccount> candidates) {
        List<String> ids = candidates.stream().map(ClaudeConsoleAccount::id).toList();
        return health.temporarilyUnavailable(CONSOLE, ids).map(marked -> candidates.stream()
                .filter(a -> !marked.containsKey(a.id())).toList());
    }

    /**
     * A key dedicated to a Claude OAuth account is served by that account in the legacy while the account is
     * healthy. relay does not call OAuth accounts yet, and serving such a key from the shared pool would bill
     * someone else's account, so it refuses clearly; when the account is unusable the legacy falls back to the
     * pool, and so do we (relay.md §4.2 step 3).
     */
    private Future<Void> refuseHealthyOAuthBinding(ApiKey key) {
        String bound = key.claudeAccountId();
        if (LegacyValues.isBlank(bound) || bound.startsWith("group:")) {
            return Future.succeededFuture();
        }
        return accounts.claudeOAuth(bound).compose(found -> {
            if (found.isPresent() && found.get().active()
                    && !Set.of("error", "blocked", "temp_error").contains(found.get().status())) {
                return Future.failedFuture(new RelayFailure(503, new JsonObject()
                        .put("error", "dedicated_account_unavailable")
                        .put("message", "This API key is bound to a Claude OAuth account, which this gateway "
                                + "instance does not serve; route it to the legacy service")));
            }
            return Future.succeededFuture();
        });
    }

    private Future<Predicate<ClaudeConsoleAccount>> groupFilter(ApiKey key) {
        String binding = key.claudeAccountId();
        if (binding != null && binding.startsWith("group:")) {
            String groupId = binding.substring("group:".length());
            return groups.group(groupId).compose(group -> group.isPresent()
                    ? Future.succeededFuture((Predicate<ClaudeConsoleAccount>) a -> group.get().members().contains(a.id()))
                    : Future.failedFuture(RelayFailure.serviceError(500, "Group " + groupId + " not found")));
        }
        return Future.succeededFuture(a -> true);
    }

    private static ClaudeConsoleAccount find(List<ClaudeConsoleAccount> accounts, String id) {
        for (ClaudeConsoleAccount a : accounts) {
            if (a.id().equals(id)) {
                return a;
            }
        }
        return null;
    }

    /** The legacy's no-account answer, with {@code retry-after} when a rate-limited account's return is known. */
    private static RelayFailure noAccount(String model, Optional<Instant> back, Instant now) {
        String message = model == null ? "No available Claude accounts (neither official nor console)"
                : "No available Claude accounts support the requested model: " + model;
        return back.map(at -> RelayFailure.serviceError(NO_ACCOUNT_STATUS, message, RetryHeaders.at(at, now)))
                .orElseGet(() -> RelayFailure.serviceError(NO_ACCOUNT_STATUS, message));
    }

    private static Optional<Instant> soonestBack(List<ClaudeConsoleAccount> accounts,
            Predicate<ClaudeConsoleAccount> member, String model, Set<String> excluded, Instant now) {
        return accounts.stream().filter(a -> !excluded.contains(a.id()) && member.test(a))
                .map(a -> ConsoleEligibility.backInPoolAt(a, model, now)).flatMap(Optional::stream)
                .min(Comparator.naturalOrder());
    }
}
