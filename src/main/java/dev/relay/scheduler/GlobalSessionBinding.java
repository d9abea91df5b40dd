package dev.relay.scheduler;

import dev.relay.account.Account;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.auth.ApiKey;
import dev.relay.failure.RelayFailure;
import dev.relay.store.ClaudeRelaySettings;
import dev.relay.store.ClaudeRelaySettings.SessionBindingSettings;
import dev.relay.store.OriginalSessionBindings;
import dev.relay.store.OriginalSessionBindings.Binding;
import dev.relay.store.SessionMapping;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The legacy's global session binding (relay.md §4.3; {@code globalSessionBindingEnabled} in
 * {@code claude_relay_config}, off by default): a Claude Code session id is bound to the first OAuth account that
 * serves it, for {@code sessionBindingTtlDays}. A bound session goes to that account or is refused with 403
 * {@code session_binding_error}; a new session that already carries history ("polluted") is refused with 400 when
 * it lands on an OAuth account. Bindings to other account types are ignored, as the legacy ignores them.
 */
@Singleton
public class GlobalSessionBinding {
    private static final Logger LOG = Logger.getLogger(GlobalSessionBinding.class);

    /** What the binding needs of a request: the original session id (null when none) and whether it has history. */
    public record OriginalSession(String sessionId, boolean old) {
    }

    private final ClaudeRelaySettings settings;
    private final OriginalSessionBindings bindings;
    private final ClaudeAccountScheduler scheduler;
    private final Clock clock;

    @Inject
    public GlobalSessionBinding(ClaudeRelaySettings settings, OriginalSessionBindings bindings,
            ClaudeAccountScheduler scheduler) {
        this(settings, bindings, scheduler, Clock.systemUTC());
    }

    GlobalSessionBinding(ClaudeRelaySettings settings, OriginalSessionBindings bindings,
            ClaudeAccountScheduler scheduler, Clock clock) {
        this.settings = settings;
        this.bindings = bindings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The picker for a Messages request: the scheduler, the bound account, or the scheduler that binds. */
    public Future<AccountPicker<Account>> forMessages(OriginalSession session) {
        return resolve(session, false);
    }

    /**
     * count_tokens (the legacy's count_tokens handler): a bound session whose account is gone, or a new session
     * with history, is refused with 400; nothing is bound and the account is not forced.
     */
    public Future<AccountPicker<Account>> forCountTokens(OriginalSession session) {
        return resolve(session, true);
    }

    private Future<AccountPicker<Account>> resolve(OriginalSession session, boolean countTokens) {
        if (session.sessionId() == null) {
            return Future.succeededFuture(scheduler);
        }
        return settings.sessionBinding().compose(cfg -> {
            if (!cfg.enabled()) {
                return Future.succeededFuture((AccountPicker<Account>) scheduler);
            }
            return bindings.get(session.sessionId()).compose(found -> found.isPresent()
                    ? bound(session, found.get(), cfg, countTokens)
                    : countTokens ? checkedNew(session, cfg) : Future.succeededFuture(new Binds(session, cfg)));
        }).recover(e -> {
            if (e instanceof RelayFailure) {
                return Future.failedFuture(e);
            }
            // like the legacy, a failing binding check does not stop the request
            LOG.warnf("global session binding check failed (%s); scheduling normally", e.getMessage());
            return Future.succeededFuture(scheduler);
        });
    }

    private Future<AccountPicker<Account>> bound(OriginalSession session, Binding binding,
            SessionBindingSettings cfg, boolean countTokens) {
        if (!ClaudeAccountScheduler.OAUTH.equals(binding.accountType())) {
            return Future.succeededFuture(scheduler);
        }
        RelayFailure refusal = refusal(countTokens ? 400 : 403, cfg);
        return scheduler.oauthAccount(binding.accountId()).compose(account -> {
            if (account.isEmpty() || !account.get().active() || "error".equals(account.get().status())) {
                return Future.failedFuture(refusal);
            }
            ClaudeOAuthAccount forced = account.get();
            return bindings.touch(session.sessionId(), binding, cfg.ttlSeconds(), clock.instant())
                    .map(v -> countTokens ? scheduler : new Forced(forced, refusal));
        });
    }

    private Future<AccountPicker<Account>> checkedNew(OriginalSession session, SessionBindingSettings cfg) {
        return session.old() ? Future.failedFuture(refusal(400, cfg)) : Future.succeededFuture(scheduler);
    }

    static RelayFailure refusal(int status, SessionBindingSettings cfg) {
        return new RelayFailure(status, new JsonObject().put("error",
                new JsonObject().put("type", "session_binding_error").put("message", cfg.errorMessage())));
    }

    /** Every attempt goes to the bound account. */
    private final class Forced implements AccountPicker<Account> {
        private final ClaudeOAuthAccount account;
        private final RelayFailure refusal;

        Forced(ClaudeOAuthAccount account, RelayFailure refusal) {
            this.account = account;
            this.refusal = refusal;
        }

        @Override
        public Future<AccountSelection<Account>> select(ApiKey key, String sessionHash, String model,
                Set<String> excluded, Future<Optional<SessionMapping>> stickyRead) {
            return scheduler.selectBound(account, excluded, refusal);
        }
    }

    /** Schedules as usual; an OAuth pick binds the session, or refuses it when it has history. */
    private final class Binds implements AccountPicker<Account> {
        private final OriginalSession session;
        private final SessionBindingSettings cfg;

        Binds(OriginalSession session, SessionBindingSettings cfg) {
            this.session = session;
            this.cfg = cfg;
        }

        @Override
        public Future<AccountSelection<Account>> select(ApiKey key, String sessionHash, String model,
                Set<String> excluded, Future<Optional<SessionMapping>> stickyRead) {
            return select(key, sessionHash, null, model, null, excluded, stickyRead);
        }

        @Override
        public Future<AccountSelection<Account>> select(ApiKey key, String sessionHash, String legacySessionHash,
                String model, String vendor, Set<String> excluded, Future<Optional<SessionMapping>> stickyRead) {
            return scheduler.select(key, sessionHash, legacySessionHash, model, vendor, excluded, stickyRead)
                    .compose(selection -> {
                        if (!ClaudeAccountScheduler.OAUTH.equals(selection.accountType())) {
                            return Future.succeededFuture(selection);
                        }
                        if (session.old()) {
                            if (selection.lease() != null) {
                                selection.lease().release();
                            }
                            return Future.failedFuture(refusal(400, cfg));
                        }
                        return bindings.create(session.sessionId(), selection.accountId(), selection.accountType(),
                                cfg.ttlSeconds(), clock.instant()).recover(e -> {
                                    LOG.warnf("could not bind session %s (%s)", session.sessionId(), e.getMessage());
                                    return Future.succeededFuture();
                                }).map(selection);
                    });
        }
    }
}
