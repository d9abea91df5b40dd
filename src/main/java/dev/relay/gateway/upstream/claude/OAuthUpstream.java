package dev.relay.gateway.upstream.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.account.Platform;
import dev.relay.config.ClaudeConfig;
import dev.relay.config.RelayConfig;
import dev.relay.gateway.AccountMark;
import dev.relay.gateway.Flight;
import dev.relay.gateway.Operation;
import dev.relay.gateway.OutboundRequest;
import dev.relay.gateway.RefreshingTokens;
import dev.relay.gateway.UpstreamAdapter;
import dev.relay.gateway.UpstreamCall;
import dev.relay.gateway.UpstreamHttp;
import dev.relay.gateway.Verdict;
import dev.relay.scheduler.ClaudeAccountPool;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.RefreshLock;
import dev.relay.usage.PriceBook;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Claude subscription (OAuth) upstream (relay.md §5.2, §5.5, §7.1): {@code <CLAUDE_API_URL>/v1/messages?beta=true}
 * with the account's access token (refreshed under the legacy's lock when it is about to expire, or once when the
 * upstream refuses it), the legacy's header and body shaping, and the account's state in
 * {@code claude:account:{id}} after each answer ({@link OAuthMarks}).
 */
@Singleton
public class OAuthUpstream implements UpstreamAdapter<ClaudeOAuthAccount> {
    private static final Logger LOG = Logger.getLogger(OAuthUpstream.class);
    static final String MESSAGES_PATH = "/v1/messages";

    private final UpstreamHttp http;
    private final RefreshingTokens<ClaudeOAuthAccount> tokens;
    private final OAuthMarks marks;
    private final AccountStore accounts;
    private final PriceBook prices;
    private final ClaudeCodeVersionFloor versionFloor;
    private final String baseUrl;
    private final String host;
    private final String apiVersion;
    private final Vertx vertx;
    private final int forbiddenRetries;
    private final long forbiddenRetryDelayMs;
    private final Clock clock;

    @Inject
    public OAuthUpstream(UpstreamHttp http, ClaudeTokenEndpoint endpoint, RefreshLock lock, Vertx vertx,
            OAuthMarks marks, AccountStore accounts, PriceBook prices, ClaudeCodeVersionFloor versionFloor,
            ClaudeConfig config) {
        this(http, new RefreshingTokens<>(endpoint, lock, vertx, config.refreshWaitSeconds() * 1000,
                Clock.systemUTC()), marks, accounts, prices, versionFloor, config.apiUrl(), config.apiVersion(),
                vertx, config.forbiddenRetries(), config.forbiddenRetryDelayMs(), Clock.systemUTC());
    }

    OAuthUpstream(UpstreamHttp http, RefreshingTokens<ClaudeOAuthAccount> tokens, OAuthMarks marks,
            AccountStore accounts, PriceBook prices, ClaudeCodeVersionFloor versionFloor, String apiUrl,
            String apiVersion, Vertx vertx, int forbiddenRetries, long forbiddenRetryDelayMs, Clock clock) {
        this.vertx = vertx;
        this.forbiddenRetries = forbiddenRetries;
        this.forbiddenRetryDelayMs = forbiddenRetryDelayMs;
        this.http = http;
        this.tokens = tokens;
        this.marks = marks;
        this.accounts = accounts;
        this.prices = prices;
        this.versionFloor = versionFloor;
        this.baseUrl = baseUrl(apiUrl);
        this.host = hostOf(this.baseUrl);
        this.apiVersion = apiVersion;
        this.clock = clock;
    }

    /** The base without a trailing {@code /v1/messages} or slash (the legacy's example config includes the path). */
    static String baseUrl(String apiUrl) {
        String base = apiUrl == null ? "" : apiUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base.endsWith(MESSAGES_PATH) ? base.substring(0, base.length() - MESSAGES_PATH.length()) : base;
    }

    private static String hostOf(String base) {
        URI uri = URI.create(base);
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    @Override
    public Future<UpstreamCall> send(ClaudeOAuthAccount account, Flight flight, Operation operation,
            Consumer<HttpClientRequest> sending) {
        marks.requestStarted(account, clock.instant());
        return tokens.fresh(account).compose(current -> call(current, flight, operation, sending)
                .compose(call -> call.response().statusCode() == 401
                        ? retryWithNewToken(current, call, flight, operation, sending) : Future.succeededFuture(call))
                .compose(call -> repeatWhileForbidden(current, call, flight, operation, sending, forbiddenRetries)))
                .onSuccess(call -> {
                    int status = call.response().statusCode();
                    if (status >= 200 && status < 300) {
                        marks.answered(account, call.response().headers());
                    }
                });
    }

    /** A refused token is refreshed once; the call is repeated with the new one, else the 401 goes on. */
    private Future<UpstreamCall> retryWithNewToken(ClaudeOAuthAccount account, UpstreamCall refused, Flight flight,
            Operation operation, Consumer<HttpClientRequest> sending) {
        String rejected = account.accessToken();
        return tokens.afterRejection(account, rejected).compose(renewed -> {
            if (rejected.equals(renewed.accessToken())) {
                return Future.succeededFuture(refused);
            }
            refused.response().resume();
            refused.response().body();
            return call(renewed, flight, operation, sending);
        }, failure -> Future.succeededFuture(refused));
    }

    /**
     * The legacy's 403 handling (relay.md §7.1): the same call is repeated on the same account up to
     * {@code forbiddenRetries} times, {@code forbiddenRetryDelayMs} apart; only a 403 that outlasts them is a ban.
     */
    private Future<UpstreamCall> repeatWhileForbidden(ClaudeOAuthAccount account, UpstreamCall answered, Flight flight,
            Operation operation, Consumer<HttpClientRequest> sending, int left) {
        if (answered.response().statusCode() != 403 || left <= 0 || flight.ctx().response().closed()) {
            return Future.succeededFuture(answered);
        }
        answered.response().resume();
        answered.response().body();
        LOG.warnf("account %s answered 403; repeating the call (%d left)", account.id(), left - 1);
        return pause().compose(v -> flight.ctx().response().closed() ? Future.succeededFuture(answered)
                : call(account, flight, operation, sending)
                        .compose(next -> repeatWhileForbidden(account, next, flight, operation, sending, left - 1)));
    }

    private Future<Void> pause() {
        if (forbiddenRetryDelayMs <= 0) {
            return Future.succeededFuture();
        }
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        vertx.setTimer(forbiddenRetryDelayMs, id -> done.complete());
        return done.future();
    }

    private Future<UpstreamCall> call(ClaudeOAuthAccount account, Flight flight, Operation operation,
            Consumer<HttpClientRequest> sending) {
        var request = flight.request();
        Buffer body = OAuthBody.shape(request.json(), account, this::maxTokens).toBuffer();
        MultiMap client = flight.ctx().request().headers();
        String clientAgent = client.get("user-agent");
        String agent = versionFloor.apply(clientAgent);
        MultiMap headers = OAuthHeaders.build(client, host, body.length(), account.accessToken(), apiVersion,
                request.model(), agent == null || agent.equals(clientAgent) ? null : agent);
        String path = operation == Operation.COUNT_TOKENS ? MESSAGES_PATH + "/count_tokens" : MESSAGES_PATH;
        return http.post(new OutboundRequest(baseUrl + path + "?beta=true", headers, body, account.proxy()), sending);
    }

    private long maxTokens(String model) {
        return prices.find(model).filter(p -> p.name().equals(model))
                .map(p -> p.maxTokens() > 0 ? p.maxTokens() : p.maxOutputTokens()).orElse(0L);
    }

    /**
     * relay.md §7.1: 429, 529 and 5xx move on to another account (a key's dedicated account fails to the client,
     * which gets the legacy's 403); 401 fails to the client and marks the account; 403 is a ban: marked, and the
     * request moves on; other 4xx are the client's own errors.
     */
    @Override
    public Verdict classify(ClaudeOAuthAccount account, int status, Flight flight) {
        if (status == 403) {
            return new Verdict(Verdict.Outcome.TRY_ANOTHER, AccountMark.BANNED);
        }
        Verdict shared = Verdict.ofStatus(status);
        if (status == 429 && account.id().equals(flight.key().key().claudeAccountId())) {
            return new Verdict(Verdict.Outcome.FAIL, AccountMark.RATE_LIMITED);
        }
        return shared;
    }

    @Override
    public Future<Void> mark(ClaudeOAuthAccount account, AccountMark mark) {
        return marks.mark(account, mark, MultiMap.caseInsensitiveMultiMap(), null);
    }

    @Override
    public Future<Void> mark(ClaudeOAuthAccount account, AccountMark mark, MultiMap answerHeaders, Flight flight) {
        return marks.mark(account, mark, answerHeaders, flight == null ? null : flight.request().schedulingModel());
    }

    @Override
    public void succeeded(ClaudeOAuthAccount account) {
        marks.succeeded(account);
    }

    @Override
    public void touch(ClaudeOAuthAccount account, String lastUsedAt) {
        accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), Map.of("lastUsedAt", lastUsedAt), List.of())
                .onFailure(e -> LOG.warnf("lastUsedAt of account %s not written: %s", account.id(), e.getMessage()));
    }

    /** The reset time of a 429 ({@code anthropic-ratelimit-unified-reset}, unix seconds), else null. */
    public static Instant resetOf(MultiMap headers) {
        long seconds = LegacyValues.parseInt(headers.get("anthropic-ratelimit-unified-reset"));
        return seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
    }
}
