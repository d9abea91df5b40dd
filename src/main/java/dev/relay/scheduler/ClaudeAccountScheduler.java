package dev.relay.scheduler;

import dev.relay.account.Account;
import dev.relay.account.AccountGroupStore;
import dev.relay.account.CcrAccount;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.account.Platform;
import dev.relay.auth.ApiKey;
import dev.relay.config.ClaudeConfig;
import dev.relay.config.RelayConfig;
import dev.relay.failure.RelayFailure;
import dev.relay.failure.RetryHeaders;
import dev.relay.store.AccountHealthMarks;
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
 * Picks the Claude account for a request from the unified pool of OAuth, Console and CCR accounts (relay.md §4.2):
 * a {@code ccr,} model goes to CCR accounts only; otherwise the key's dedicated OAuth account, its dedicated Console
 * account, its group, the session's sticky account, then the shared pool of OAuth and Console accounts by priority
 * and least-recent use, skipping accounts that are limited, temporarily unavailable, at their concurrency limit or
 * already tried by this request.
 */
@Singleton
public class ClaudeAccountScheduler implements AccountPicker<Account> {
    private static final Logger LOG = Logger.getLogger(ClaudeAccountScheduler.class);
    public static final String CONSOLE = Platform.CLAUDE_CONSOLE.legacyName();
    public static final String OAUTH = Platform.CLAUDE_OAUTH.legacyName();
    public static final String CCR = Platform.CCR.legacyName();
    /** The legacy answers a request no account can take with 500 (relay.md §4.2 step 8). */
    static final int NO_ACCOUNT_STATUS = 500;

    private final ClaudeAccountPool pool;
    private final AccountGroupStore groups;
    private final StickySessions sticky;
    private final AccountHealthMarks health;
    private final ConcurrencyLeases leases;
    private final LegacyClock legacyClock;
    private final long stickyTtlSeconds;
    private final int renewalThresholdMinutes;
    private final boolean shareLegacyKey;
    private final Clock clock;

    @Inject
    public ClaudeAccountScheduler(ClaudeAccountPool pool, AccountGroupStore groups, StickySessions sticky,
            AccountHealthMarks health, ConcurrencyLeases leases, LegacyClock legacyClock, RelayConfig config,
            ClaudeConfig claude) {
        this(pool, groups, sticky, health, leases, legacyClock,
                (long) Math.max(1, Math.floor(config.sticky().ttlHours() * 3600)),
                config.sticky().renewalThresholdMinutes(), claude.legacyStickyKey(), Clock.systemUTC());
    }

    ClaudeAccountScheduler(ClaudeAccountPool pool, AccountGroupStore groups, StickySessions sticky,
            AccountHealthMarks health, ConcurrencyLeases leases, LegacyClock legacyClock, long stickyTtlSeconds,
            int renewalThresholdMinutes, boolean shareLegacyKey, Clock clock) {
        this.pool = pool;
        this.groups = groups;
        this.sticky = sticky;
        this.health = health;
        this.leases = leases;
        this.legacyClock = legacyClock;
        this.stickyTtlSeconds = stickyTtlSeconds;
        this.renewalThresholdMinutes = renewalThresholdMinutes;
        this.shareLegacyKey = shareLegacyKey;
        this.clock = clock;
    }

    /** A request's view of the pool: what it asks for and which accounts exist right now. */
    private record Ask(ApiKey key, String sessionHash, String legacyHash, String model, boolean ccr,
            Set<String> excluded, Instant now,
            List<ClaudeOAuthAccount> oauth, List<ClaudeConsoleAccount> console, List<CcrAccount> ccrAccounts) {
        Account find(SessionMapping mapping) {
            String id = mapping.accountId();
            if (OAUTH.equals(mapping.accountType())) {
                return oauth.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
            }
            if (CONSOLE.equals(mapping.accountType())) {
                return console.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
            }
            if (CCR.equals(mapping.accountType())) {
                return ccrAccounts.stream().filter(a -> a.id().equals(id)).findFirst().orElse(null);
            }
            return null;
        }

        /** The accounts this request may be scheduled on: CCR for a {@code ccr,} model, else OAuth and Console. */
        List<Account> candidates() {
            List<Account> all = new ArrayList<>();
            if (ccr) {
                all.addAll(ccrAccounts);
            } else {
                all.addAll(oauth);
                all.addAll(console);
            }
            return all;
        }
    }

    @Override
    public Future<AccountSelection<Account>> select(ApiKey key, String sessionHash, String model, Set<String> excluded,
            Future<Optional<SessionMapping>> stickyRead) {
        return select(key, sessionHash, null, model, null, excluded, stickyRead);
    }

    /**
     * See {@link AccountPicker#select}: relay.md §4.2. With {@code legacySessionHash} (and the setting on), the
     * legacy's mapping is honoured when relay's own is missing, and a new pick is written under both keys.
     */
    @Override
    public Future<AccountSelection<Account>> select(ApiKey key, String sessionHash, String legacySessionHash,
            String model, String vendor, Set<String> excluded, Future<Optional<SessionMapping>> stickyRead) {
        Instant now = clock.instant();
        String legacyHash = shareLegacyKey && sessionHash != null && !sessionHash.equals(legacySessionHash)
                ? legacySessionHash : null;
        return Future.all(pool.oauth(), pool.console(), pool.ccr()).compose(all -> {
            Ask ask = new Ask(key, sessionHash, legacyHash, model, "ccr".equals(vendor), excluded, now, all.resultAt(0),
                    all.resultAt(1), all.resultAt(2));
            if (!ask.ccr) {
                Future<AccountSelection<Account>> dedicated = dedicated(ask);
                if (dedicated != null) {
                    return dedicated;
                }
            }
            return fromSticky(ask, stickyRead);
        });
    }

    /** An OAuth account of the pool by id (a global session binding names one, relay.md §4.3). */
    public Future<Optional<ClaudeOAuthAccount>> oauthAccount(String id) {
        return pool.oauth().map(all -> all.stream().filter(a -> a.id().equals(id)).findFirst());
    }

    /**
     * The account a global session binding forces (the legacy's {@code _isAccountAvailableForSessionBinding}):
     * active, not {@code error}/{@code temp_error}, not rate-limited, not temporarily unavailable and with a free
     * slot, else {@code refusal}; no sticky mapping is written. Once the request failed on it, nothing else is
     * picked (the legacy never moves a bound session to another account).
     */
    public Future<AccountSelection<Account>> selectBound(ClaudeOAuthAccount account, Set<String> excluded,
            RelayFailure refusal) {
        if (excluded.contains(account.id())) {
            return Future.failedFuture("the bound account " + account.id() + " failed");
        }
        Instant now = clock.instant();
        if (!account.active() || "error".equals(account.status()) || "temp_error".equals(account.status())
                || OAuthEligibility.rateLimited(account, now)) {
            return Future.failedFuture(refusal);
        }
        return notTempUnavailable(List.of(account)).compose(ok -> ok.isEmpty() ? Future.failedFuture(refusal)
                : claimFrom(ok, 0, null, false).recover(full -> Future.failedFuture(
                        full instanceof RelayFailure ? refusal : full)));
    }

    /** The key's own OAuth or Console account (§4.2 steps 3–4), a refusal, or null to go on to the pool. */
    private Future<AccountSelection<Account>> dedicated(Ask ask) {
        String boundOAuth = ask.key.claudeAccountId();
        if (!LegacyValues.isBlank(boundOAuth) && !boundOAuth.startsWith("group:") && !ask.excluded.contains(boundOAuth)) {
            ClaudeOAuthAccount account = ask.oauth.stream().filter(a -> a.id().equals(boundOAuth)).findFirst()
                    .orElse(null);
            if (account != null && OAuthEligibility.healthy(account)) {
                if (OAuthEligibility.rateLimited(account, ask.now)) {
                    return Future.failedFuture(DedicatedRefusal.rateLimited(OAuthEligibility.rateLimitEnd(account),
                            legacyClock));
                }
                Instant familyEnd = OAuthEligibility.familyLimitEnd(account, ask.model, ask.now);
                if (familyEnd != null) {
                    return Future.failedFuture("opus".equals(ModelFamily.of(ask.model))
                            ? DedicatedRefusal.opusLimited(familyEnd, legacyClock)
                            : DedicatedRefusal.rateLimited(familyEnd, legacyClock));
                }
                if (OAuthEligibility.schedulable(account, ask.now)) {
                    return claimFrom(List.of(account), 0, null, false);
                }
            }
        }
        String boundConsole = ask.key.claudeConsoleAccountId();
        if (!LegacyValues.isBlank(boundConsole) && !ask.excluded.contains(boundConsole)) {
            ClaudeConsoleAccount account = ask.console.stream().filter(a -> a.id().equals(boundConsole)).findFirst()
                    .orElse(null);
            if (account != null && account.active() && "active".equals(account.status()) && account.schedulable()) {
                return notTempUnavailable(List.of(account)).compose(ok -> ok.isEmpty()
                        ? fromSticky(ask, null) : claimFrom(ok, 0, ask, false));
            }
        }
        return null;
    }

    private Future<AccountSelection<Account>> fromSticky(Ask ask, Future<Optional<SessionMapping>> stickyRead) {
        Future<Predicate<Account>> membership = groupFilter(ask.key);
        if (ask.sessionHash == null) {
            return membership.compose(member -> fromPool(ask, member));
        }
        Future<Optional<SessionMapping>> own = stickyRead != null ? stickyRead : sticky.get(ask.sessionHash);
        Future<Optional<SessionMapping>> read = ask.legacyHash == null ? own
                : own.compose(found -> found.isPresent() ? Future.succeededFuture(found) : sticky.get(ask.legacyHash));
        return membership.compose(member -> read.compose(mapping -> {
            if (mapping.isEmpty()) {
                return fromPool(ask, member);
            }
            Account mapped = ask.find(mapping.get());
            boolean rightPool = mapped != null && (mapped instanceof CcrAccount) == ask.ccr;
            if (rightPool && !ask.excluded.contains(mapped.id()) && member.test(mapped)
                    && ClaudeEligibility.usableForSticky(mapped, ask.model, ask.now)) {
                // as the legacy, sticky reuse does not consult temp_unavailable (relay.md §4.2 step 6): a failing
                // account's mapping is dropped by the failover loop, and the check would cost a round trip per request
                return claimFrom(List.of(mapped), 0, ask, true).recover(full -> {
                            LOG.debugf("sticky account %s unavailable: %s", mapped.id(), full.getMessage());
                            return forget(ask).compose(v -> fromPool(ask, member));
                        });
            }
            return forget(ask).compose(v -> fromPool(ask, member));
        }));
    }

    /** Deletes the session's mappings (relay's key, and the legacy's when it is shared). */
    private Future<Void> forget(Ask ask) {
        Future<Void> own = sticky.delete(ask.sessionHash);
        return ask.legacyHash == null ? own : own.compose(v -> sticky.delete(ask.legacyHash));
    }

    private Future<AccountSelection<Account>> fromPool(Ask ask, Predicate<Account> member) {
        boolean grouped = isGroup(ask.key);
        List<Account> candidates = new ArrayList<>();
        for (Account a : ask.candidates()) {
            if (ask.excluded.contains(a.id()) || !member.test(a)) {
                continue;
            }
            boolean eligible = grouped ? ClaudeEligibility.usableForSticky(a, ask.model, ask.now)
                    : ClaudeEligibility.inPool(a, ask.model, ask.now);
            if (eligible) {
                candidates.add(a);
            }
        }
        candidates.sort(Comparator.comparingInt(Account::priority)
                .thenComparing(a -> a.lastUsedAt() == null ? "" : a.lastUsedAt()));
        if (candidates.isEmpty()) {
            return Future.failedFuture(noAccount(ask.model, soonestBack(ask, member), ask.now));
        }
        return unavailable(candidates).compose(marked -> {
            List<Account> available = candidates.stream().filter(a -> !marked.containsKey(a.id())).toList();
            return available.isEmpty() ? Future.failedFuture(CoolingDown.failure(ask.model, marked.values()))
                    : claimFrom(available, 0, ask, false);
        });
    }

    /** Takes the first candidate whose concurrency slot is free; remembers the session's account. */
    private Future<AccountSelection<Account>> claimFrom(List<? extends Account> candidates, int index, Ask ask,
            boolean fromSticky) {
        if (index >= candidates.size()) {
            return Future.failedFuture(new RelayFailure(503, new JsonObject().put("error", "service_unavailable")
                    .put("message", "All available accounts have reached their concurrency limit. Please try again later.")));
        }
        Account account = candidates.get(index);
        String leasesKey = leasesKey(account);
        Future<AccountSelection<Account>> taken;
        if (leasesKey != null) {
            taken = leases.take(leasesKey, UUID.randomUUID().toString(), concurrencyLimit(account))
                    .compose(result -> result.admitted()
                            ? Future.succeededFuture(new AccountSelection<>(account, result.lease()))
                            : claimFrom(candidates, index + 1, ask, fromSticky));
        } else {
            taken = Future.succeededFuture(new AccountSelection<>(account, null));
        }
        // a lease taken for a selection that then fails is nobody's: give it back at once
        return taken.compose(selection -> remember(selection, ask, fromSticky).map(selection).recover(e -> {
            if (selection.lease() != null) {
                selection.lease().release();
            }
            return Future.failedFuture(e);
        }));
    }

    /** The account's lease set when it has a concurrency limit (OAuth {@code maxConcurrency}, Console tasks). */
    private static String leasesKey(Account account) {
        if (account instanceof ClaudeOAuthAccount o && o.maxConcurrency() > 0) {
            return ConcurrencyLeases.claudeAccountLeases(o.id());
        }
        if (account instanceof ClaudeConsoleAccount c && c.maxConcurrentTasks() > 0) {
            return ConcurrencyLeases.consoleAccountLeases(c.id());
        }
        return null;
    }

    private static long concurrencyLimit(Account account) {
        return account instanceof ClaudeOAuthAccount o ? o.maxConcurrency()
                : ((ClaudeConsoleAccount) account).maxConcurrentTasks();
    }

    /**
     * Writes the session's mapping for a new pick (under the legacy's key too when shared), renews a reused one;
     * a dedicated account ({@code ask} null) is not remembered.
     */
    private Future<Void> remember(AccountSelection<Account> selection, Ask ask, boolean fromSticky) {
        if (ask == null || ask.sessionHash == null) {
            return Future.succeededFuture();
        }
        String id = selection.account().id();
        String type = selection.accountType();
        if (fromSticky) {
            Future<Void> renewed = renewalThresholdMinutes > 0
                    ? sticky.renewIfBelow(ask.sessionHash, stickyTtlSeconds, renewalThresholdMinutes).mapEmpty()
                    : Future.succeededFuture();
            // a conversation the legacy started: relay's own key joins it
            return ask.legacyHash == null ? renewed : renewed.compose(v -> sticky.get(ask.sessionHash))
                    .compose(own -> own.isPresent() ? Future.succeededFuture()
                            : sticky.set(ask.sessionHash, id, type, stickyTtlSeconds));
        }
        Future<Void> own = sticky.set(ask.sessionHash, id, type, stickyTtlSeconds);
        return ask.legacyHash == null ? own : own.compose(v -> sticky.set(ask.legacyHash, id, type, stickyTtlSeconds));
    }

    private Future<List<Account>> notTempUnavailable(List<? extends Account> candidates) {
        return unavailable(candidates).map(marked -> candidates.stream().filter(a -> !marked.containsKey(a.id()))
                .map(Account.class::cast).toList());
    }

    /** The candidates' {@code temp_unavailable:{type}:{id}} marks (one round trip per account type present). */
    private Future<java.util.Map<String, Long>> unavailable(List<? extends Account> candidates) {
        java.util.Map<String, List<String>> byType = new java.util.LinkedHashMap<>();
        for (Account a : candidates) {
            byType.computeIfAbsent(a.platform().legacyName(), t -> new ArrayList<>()).add(a.id());
        }
        List<Future<java.util.Map<String, Long>>> reads = new ArrayList<>();
        byType.forEach((type, ids) -> reads.add(health.temporarilyUnavailable(type, ids)));
        return Future.all(reads).map(all -> {
            java.util.Map<String, Long> marked = new java.util.HashMap<>();
            for (int i = 0; i < reads.size(); i++) {
                marked.putAll(all.<java.util.Map<String, Long>>resultAt(i));
            }
            return marked;
        });
    }

    private static boolean isGroup(ApiKey key) {
        return key.claudeAccountId() != null && key.claudeAccountId().startsWith("group:");
    }

    private Future<Predicate<Account>> groupFilter(ApiKey key) {
        if (isGroup(key)) {
            String groupId = key.claudeAccountId().substring("group:".length());
            return groups.group(groupId).compose(group -> group.isPresent()
                    ? Future.succeededFuture((Predicate<Account>) a -> group.get().members().contains(a.id()))
                    : Future.failedFuture(RelayFailure.serviceError(500, "Group " + groupId + " not found")));
        }
        return Future.succeededFuture(a -> true);
    }

    /** The legacy's no-account answer, with {@code retry-after} when a rate-limited account's return is known. */
    private static RelayFailure noAccount(String model, Optional<Instant> back, Instant now) {
        String message = model == null ? "No available Claude accounts (neither official nor console)"
                : "No available Claude accounts support the requested model: " + model;
        return back.map(at -> RelayFailure.serviceError(NO_ACCOUNT_STATUS, message, RetryHeaders.at(at, now)))
                .orElseGet(() -> RelayFailure.serviceError(NO_ACCOUNT_STATUS, message));
    }

    /** When the first rate-limited Console account of the key's pool is back (OAuth limits carry no such time). */
    private static Optional<Instant> soonestBack(Ask ask, Predicate<Account> member) {
        return ask.candidates().stream()
                .filter(a -> a instanceof ClaudeConsoleAccount && !ask.excluded.contains(a.id()) && member.test(a))
                .map(a -> ConsoleEligibility.backInPoolAt((ClaudeConsoleAccount) a, ask.model, ask.now))
                .flatMap(Optional::stream).min(Comparator.naturalOrder());
    }
}
