package dev.relay.gateway.api.anthropic;

import dev.relay.account.Account;
import dev.relay.auth.ApiKeyAuthenticator;
import dev.relay.auth.ApiKeyAuthenticator.RequestFacts;
import dev.relay.auth.ApiKeyExtractor;
import dev.relay.auth.AuthorizedKey;
import dev.relay.auth.ClientRestriction;
import dev.relay.failure.RelayFailure;
import dev.relay.gateway.Billing;
import dev.relay.gateway.ClientAnswer;
import dev.relay.gateway.ClientDisconnects;
import dev.relay.gateway.Delivery;
import dev.relay.gateway.Failover;
import dev.relay.gateway.Flight;
import dev.relay.gateway.Operation;
import dev.relay.gateway.RelayExchange;
import dev.relay.gateway.upstream.claude.ClaudeUpstreams;
import dev.relay.gateway.upstream.claude.ConsoleUpstream;
import dev.relay.scheduler.AccountPicker;
import dev.relay.scheduler.GlobalSessionBinding;
import dev.relay.scheduler.SessionHash;
import dev.relay.store.LegacyClock;
import dev.relay.store.SessionMapping;
import dev.relay.store.StickySessions;
import dev.relay.usage.UsageSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code POST /v1/messages} and {@code count_tokens} of the Anthropic API: parse, authenticate, check permission
 * and model rules, then send the flight through the shared {@link Failover} to the Claude account pool.
 */
@Singleton
public class AnthropicMessagesRoute {
    private final ApiKeyAuthenticator auth;
    private final ClaudeUpstreams upstream;
    private final ConsoleUpstream console;
    private final StickySessions sticky;
    private final UsageSink usage;
    private final ClaudeAdmission admission;
    private final ClientDisconnects disconnects;
    private final ClaudeCodeAttribution attribution;
    private final Vertx vertx;
    private final LegacyClock legacyClock;
    private final GlobalSessionBinding sessionBinding;

    public AnthropicMessagesRoute(ApiKeyAuthenticator auth, ClaudeUpstreams upstream, ConsoleUpstream console, StickySessions sticky, UsageSink usage,
            ClaudeAdmission admission, ClientDisconnects disconnects, ClaudeCodeAttribution attribution, Vertx vertx,
            LegacyClock legacyClock, GlobalSessionBinding sessionBinding) {
        this.sessionBinding = sessionBinding;
        this.disconnects = disconnects;
        this.attribution = attribution;
        this.auth = auth;
        this.upstream = upstream;
        this.console = console;
        this.sticky = sticky;
        this.usage = usage;
        this.admission = admission;
        this.vertx = vertx;
        this.legacyClock = legacyClock;
    }

    public void messages(RoutingContext ctx) {
        handle(ctx, Operation.GENERATE);
    }

    public void countTokens(RoutingContext ctx) {
        handle(ctx, Operation.COUNT_TOKENS);
    }

    private void handle(RoutingContext ctx, Operation operation) {
        boolean countTokens = operation == Operation.COUNT_TOKENS;
        MessagesRequest request;
        try {
            request = MessagesRequest.parse(ctx.body().buffer());
        } catch (RelayFailure failure) {
            ClientAnswer.error(ctx, failure);
            return;
        }
        String path = ctx.normalizedPath();
        RequestFacts facts = new RequestFacts(ApiKeyExtractor.extract(ctx.request()), path, countTokens,
                request.model(), ClientRestriction.of(path, ctx.request().headers(), request.json()),
                () -> ctx.response().closed(),
                // the legacy answers a request that had to queue with Connection: close (fixture 08 queued-3)
                () -> ctx.response().putHeader("Connection", "close"));
        RelayExchange exchange = new RelayExchange(vertx);
        ctx.response().closeHandler(v -> exchange.finish());
        String sessionHash = SessionHash.of(request.json());
        // the session's sticky mapping does not depend on the key: read it while the key is authenticated, so the
        // account is known one round trip sooner (an unused read when authentication fails)
        Future<Optional<SessionMapping>> stickyRead = sessionHash == null ? null : sticky.get(sessionHash);
        auth.authenticate(facts).onComplete(result -> {
            if (result.failed()) {
                ClientAnswer.error(ctx, result.cause());
                return;
            }
            AuthorizedKey key = result.result();
            exchange.hold(key.lease());
            try {
                checkRoute(key, request, countTokens);
            } catch (RelayFailure failure) {
                exchange.finish();
                ClientAnswer.error(ctx, failure);
                return;
            }
            GlobalSessionBinding.OriginalSession session = OriginalSessionReader.read(request.json());
            (countTokens ? sessionBinding.forCountTokens(session) : sessionBinding.forMessages(session))
                    .onComplete(picker -> {
                        if (picker.failed()) {
                            exchange.finish();
                            ClientAnswer.error(ctx, picker.cause());
                            return;
                        }
                        relay(ctx, operation, exchange, key, request, sessionHash, stickyRead, picker.result());
                    });
        });
    }

    private void relay(RoutingContext ctx, Operation operation, RelayExchange exchange, AuthorizedKey key,
            MessagesRequest request, String sessionHash, Future<Optional<SessionMapping>> stickyRead,
            AccountPicker<Account> picker) {
        Flight flight = new Flight(ctx, exchange, key, request, sessionHash, Instant.now());
        Billing billing = new Billing(vertx, usage, flight);
        Delivery<Account> delivery = operation == Operation.COUNT_TOKENS
                ? new CountTokensDelivery(flight, request, admission, console)
                : new MessagesDelivery(flight, request, admission, new AttributedBill(billing,
                        attribution, attribution.requestFrom(ctx.request().headers())), disconnects, vertx,
                        legacyClock);
        new Failover<>(flight, operation, picker, upstream, delivery, billing, sticky, disconnects, stickyRead).start();
    }

    /** Checks made by the route after authentication (relay.md §3.3 "after authentication"). */
    private static void checkRoute(AuthorizedKey authorized, MessagesRequest request, boolean countTokens) {
        if (!authorized.key().permits("claude")) {
            throw countTokens
                    ? RelayFailure.typed(403, "permission_error", "This API key does not have permission to access Claude")
                    : RelayFailure.typed(403, "permission_error", "此 API Key 无权访问 Claude 服务");
        }
        if (!countTokens) {
            request.validate();
        } else if (request.model() == null) {
            throw MessagesRequest.invalid("model: Field required");
        }
        if (authorized.key().enableModelRestriction()
                && authorized.key().restrictedModels().contains(request.modelWithoutVendor())) {
            throw RelayFailure.typed(403, "forbidden", "暂无该模型访问权限");
        }
    }
}
