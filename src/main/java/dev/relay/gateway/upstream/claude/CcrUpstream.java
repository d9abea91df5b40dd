package dev.relay.gateway.upstream.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.CcrAccount;
import dev.relay.account.Platform;
import dev.relay.config.RelayConfig;
import dev.relay.gateway.AccountMark;
import dev.relay.gateway.Flight;
import dev.relay.gateway.Operation;
import dev.relay.gateway.OutboundRequest;
import dev.relay.gateway.UpstreamAdapter;
import dev.relay.gateway.UpstreamCall;
import dev.relay.gateway.UpstreamHttp;
import dev.relay.scheduler.ClaudeAccountPool;
import dev.relay.scheduler.ConsoleEligibility;
import dev.relay.store.AccountHealthMarks;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The CCR upstream (relay.md §5.4): an Anthropic-compatible endpoint called like a Console account (same URL, header
 * and credential rules, {@link ConsoleUpstream}), for {@code ccr,}-prefixed models with the prefix removed and the
 * account's model mapping applied; its state in {@code ccr_account:{id}} as the CCR service writes it (a rate limit
 * is {@code rateLimitStatus=active}, pitfall P15).
 */
@Singleton
public class CcrUpstream implements UpstreamAdapter<CcrAccount> {
    private static final Logger LOG = Logger.getLogger(CcrUpstream.class);
    static final String TYPE = Platform.CCR.legacyName();

    private final UpstreamHttp http;
    private final AccountStore accounts;
    private final AccountHealthMarks health;
    private final ClaudeAccountPool pool;
    private final long connectFailureCooldownSeconds;
    private final Clock clock;

    @Inject
    public CcrUpstream(UpstreamHttp http, AccountStore accounts, AccountHealthMarks health, ClaudeAccountPool pool,
            RelayConfig config) {
        this.http = http;
        this.accounts = accounts;
        this.health = health;
        this.pool = pool;
        this.connectFailureCooldownSeconds = Math.max(1, config.connectFailureCooldownSeconds());
        this.clock = Clock.systemUTC();
    }

    @Override
    public Future<UpstreamCall> send(CcrAccount account, Flight flight, Operation operation,
            Consumer<HttpClientRequest> sending) {
        String upstreamModel = ConsoleEligibility.mappedModel(account, flight.request().schedulingModel());
        OutboundRequest outbound = new OutboundRequest(ConsoleUpstream.url(account.apiUrl(), false),
                ConsoleUpstream.headers(account, flight.ctx().request().headers()),
                flight.request().bodyFor(upstreamModel), account.proxy());
        return http.post(outbound, ConsoleUpstream.credential(account), sending);
    }

    @Override
    public Future<Void> mark(CcrAccount account, AccountMark mark) {
        String now = LegacyClock.iso(clock.instant());
        Future<?> written = switch (mark) {
            case NONE -> Future.succeededFuture();
            case RATE_LIMITED -> state(account, Map.of("status", "rate_limited", "rateLimitedAt", now,
                    "rateLimitStatus", "active", "errorMessage", "Rate limited (429 error)"));
            case OVERLOADED -> state(account, Map.of("status", "overloaded", "overloadedAt", now));
            case UNAUTHORIZED, BANNED -> state(account, Map.of("status", "unauthorized",
                    "errorMessage", "Unauthorized (" + (mark == AccountMark.BANNED ? "403" : "401") + " error)"));
            case UNREACHABLE -> health.markTemporarilyUnavailable(TYPE, account.id(), connectFailureCooldownSeconds);
            case TEMPORARILY_UNAVAILABLE, TIMED_OUT -> health.markTemporarilyUnavailable(TYPE, account.id());
        };
        return written.otherwise(e -> {
            LOG.warnf("state of CCR account %s after %s not written: %s", account.id(), mark, e.getMessage());
            return null;
        }).mapEmpty();
    }

    /** A success lifts a rate limit or overload the account still carries. */
    @Override
    public void succeeded(CcrAccount account) {
        boolean marked = !LegacyValues.isBlank(account.rateLimitStatus()) || !LegacyValues.isBlank(account.overloadedAt());
        if (marked) {
            accounts.updateFields(Platform.CCR, account.id(), Map.of("status", "active", "errorMessage", ""),
                            List.of("rateLimitedAt", "rateLimitStatus", "overloadedAt"))
                    .onSuccess(v -> pool.reloadCcr())
                    .onFailure(e -> LOG.warnf("marks of CCR account %s not lifted: %s", account.id(), e.getMessage()));
        }
    }

    @Override
    public void touch(CcrAccount account, String lastUsedAt) {
        accounts.updateFields(Platform.CCR, account.id(), Map.of("lastUsedAt", lastUsedAt), List.of())
                .onFailure(e -> LOG.warnf("lastUsedAt of CCR account %s not written: %s", account.id(), e.getMessage()));
    }

    private Future<Void> state(CcrAccount account, Map<String, String> fields) {
        return accounts.updateFields(Platform.CCR, account.id(), fields, List.of())
                .compose(v -> pool.reloadCcr().<Void>mapEmpty());
    }
}
