package dev.relay.relay.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.auth.AuthorizedKey;
import dev.relay.relay.ClientDisconnects;
import dev.relay.relay.ErrorWriter;
import dev.relay.relay.RelayExchange;
import dev.relay.relay.RelayFailure;
import dev.relay.relay.ResponseHeaders;
import dev.relay.relay.claude.ConsoleUpstream.Call;
import dev.relay.scheduler.AccountSelection;
import dev.relay.scheduler.ClaudeAccountScheduler;
import dev.relay.scheduler.ConsoleEligibility;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.store.SessionMapping;
import dev.relay.usage.Usage;
import dev.relay.usage.UsageDeferred;
import dev.relay.usage.UsageEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One request's way through the upstream: pick an account, call it, and before anything reached the client fail
 * over to another account on 429, 529, 5xx or a connection failure. Once bytes flow, the stream is piped with
 * back-pressure; a stream that ends without {@code message_stop} gets a terminal SSE error event. Usage seen is
 * billed exactly once, also when the client leaves or the upstream breaks.
 */
final class ClaudeFlight {
    private static final Logger LOG = Logger.getLogger(ClaudeFlight.class);
    static final int MAX_ATTEMPTS = 3;
    private static final Set<String> NOT_COPIED = Set.of("content-encoding", "transfer-encoding", "content-length",
            "connection", "keep-alive");

    private final ClaudeRelay relay;
    private final RoutingContext ctx;
    private final RelayExchange exchange;
    private final AuthorizedKey key;
    private final MessagesRequest request;
    private final boolean countTokens;
    private final String sessionHash;
    /** The sticky mapping read during authentication, for the first attempt only (failover reads it again). */
    private Future<Optional<SessionMapping>> stickyRead;
    private final Set<String> excluded = new HashSet<>();
    private final Instant startedAt = Instant.now();
    /** The upstream request of the latest attempt, from the moment it is sent (before its response exists). */
    private volatile HttpClientRequest sending;
    private AccountSelection selected;
    /** When the current answer will be billed: the account's {@code lastUsedAt}, written with the usage. */
    private String touchAccountWithUsage;
    /** The account's user-message turn while this attempt holds it (queue on, a user's turn), else null. */
    private UserMessageQueue.Turn turn;
    private boolean billed;
    private int attempts;
    /** Answers the client with the last upstream failure, for when failover finds no other account. */
    private Runnable lastFailure;

    ClaudeFlight(ClaudeRelay relay, RoutingContext ctx, RelayExchange exchange, AuthorizedKey key,
            MessagesRequest request, boolean countTokens, String sessionHash,
            Future<Optional<SessionMapping>> stickyRead) {
        this.relay = relay;
        this.ctx = ctx;
        this.exchange = exchange;
        this.key = key;
        this.request = request;
        this.countTokens = countTokens;
        this.sessionHash = sessionHash;
        this.stickyRead = stickyRead;
    }

    void start() {
        ctx.response().closeHandler(v -> clientGone());
        if (exchange.finished()) {
            return;
        }
        attempt();
    }

    private void attempt() {
        attempts++;
        Future<Optional<SessionMapping>> prefetched = stickyRead;
        stickyRead = null;
        relay.scheduler.select(key.key(), sessionHash, request.modelWithoutVendor(), excluded, prefetched)
                .onComplete(this::onSelected);
    }

    private void onSelected(AsyncResult<AccountSelection> ar) {
        if (ar.failed()) {
            if (lastFailure != null) {
                lastFailure.run();
            } else {
                fail(ar.cause());
            }
            return;
        }
        AccountSelection selection = ar.result();
        selected = selection;
        exchange.hold(selection.lease());
        if (exchange.finished()) {
            return;
        }
        ClaudeConsoleAccount account = selection.account();
        if (countTokens && "true".equals(account.raw().get("countTokensUnavailable"))) {
            exchange.finish();
            sendJson(200, new JsonObject().put("input_tokens", 0), MultiMap.caseInsensitiveMultiMap());
            return;
        }
        if (!countTokens && "true".equals(account.raw().get("interceptWarmup"))
                && WarmupReply.isWarmup(request.json())) {
            answerWarmup();
            return;
        }
        relay.userMessages.enter(account.id(), request.json(), () -> exchange.finished() || ctx.response().closed())
                .onComplete(queued -> {
                    if (queued.failed()) {
                        if (queued.cause() instanceof UserMessageQueue.Refused refused) {
                            answerQueueRefusal(refused);
                        } else {
                            fail(queued.cause());
                        }
                        return;
                    }
                    turn = queued.result();
                    if (turn != null) {
                        exchange.onFinish(turn::release);
                    }
                    if (!exchange.finished()) {
                        send(selection);
                    }
                });
    }

    private void send(AccountSelection selection) {
        ClaudeConsoleAccount account = selection.account();
        String upstreamModel = ConsoleEligibility.mappedModel(account, request.model());
        relay.upstream.send(account, countTokens, ctx.request().headers(), request.bodyFor(upstreamModel),
                this::sending).onComplete(call -> {
                    if (call.failed()) {
                        releaseTurn();
                        onConnectFailure(selection, call.cause());
                    } else {
                        onResponse(selection, call.result());
                    }
                });
    }

    /**
     * The user-message turn ends once the upstream has the request: at its answer's headers for a stream, once the
     * whole answer is read otherwise; like the legacy, the answer goes on only when the lock is back in Redis.
     */
    private Future<Void> releaseTurn() {
        UserMessageQueue.Turn held = turn;
        turn = null;
        return held == null ? Future.succeededFuture() : held.release();
    }

    /** No turn for this account in time: the legacy's answer, as JSON or as an SSE error event. */
    private void answerQueueRefusal(UserMessageQueue.Refused refused) {
        exchange.finish();
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        if (countTokens || !request.stream()) {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
                    .add("x-user-message-queue-error", refused.type());
            forwardBuffered(refused.status(), headers, refused.body().toBuffer(), false);
            return;
        }
        ResponseHeaders.addCommon(response.headers());
        response.setStatusCode(refused.status()).setChunked(true)
                .putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("Connection", "keep-alive").putHeader("x-user-message-queue-error", refused.type())
                .end(Buffer.buffer("event: error\ndata: " + refused.body().encode() + "\n\ndata: [DONE]\n\n"));
    }

    /** A warmup/title request on an intercepting account: answered here, nothing billed (relay.md §6.6). */
    private void answerWarmup() {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            exchange.finish();
            return;
        }
        ResponseHeaders.addCommon(response.headers());
        if (!request.stream()) {
            exchange.finish();
            response.putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(WarmupReply.message(request.model()).toBuffer());
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache").putHeader("Connection", "keep-alive")
                .putHeader("X-Accel-Buffering", "no");
        sendWarmupEvents(WarmupReply.streamEvents(request.model()), 0);
    }

    private void sendWarmupEvents(List<Buffer> events, int next) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            exchange.finish();
            return;
        }
        if (next >= events.size()) {
            exchange.finish();
            response.end();
            return;
        }
        response.write(events.get(next));
        relay.vertx.setTimer(WarmupReply.EVENT_GAP_MS, id -> sendWarmupEvents(events, next + 1));
    }

    private void onConnectFailure(AccountSelection selection, Throwable cause) {
        if (exchange.finished()) {
            return; // the client left and the call was aborted on purpose
        }
        LOG.warnf("upstream call to account %s failed: %s", selection.account().id(), cause.toString());
        boolean timeout = cause instanceof TimeoutException || String.valueOf(cause.getMessage()).contains("timeout");
        RelayFailure failure = new RelayFailure(timeout ? 504 : 502, new JsonObject()
                .put("error", timeout ? "Upstream timeout" : "Upstream connection error")
                .put("message", timeout ? "Request timeout" : "Upstream request failed")
                .put("timestamp", LegacyClock.iso(Instant.now())));
        if (retryable()) {
            lastFailure = () -> fail(failure);
            Future<Void> mark = timeout
                    ? relay.health.markTemporarilyUnavailable(selection.accountType(), selection.account().id())
                    : relay.health.markTemporarilyUnavailable(selection.accountType(), selection.account().id(),
                            relay.connectFailureCooldownSeconds);
            mark.onComplete(marked -> {
                if (!exchange.finished()) {
                    moveOn(selection);
                }
            });
            return;
        }
        fail(failure);
    }

    private void onResponse(AccountSelection selection, Call call) {
        if (exchange.finished()) {
            call.request().reset();
            return;
        }
        HttpClientResponse response = call.response();
        int status = response.statusCode();
        ClaudeConsoleAccount account = selection.account();
        // relay.md §5.3: lastUsedAt after every call, whatever the status (fixtures 04, 10); a billed answer
        // writes it with its usage, in the same pipeline
        boolean billable = status >= 200 && status < 300 && !countTokens;
        if (billable) {
            touchAccountWithUsage = LegacyClock.iso(Instant.now());
        } else {
            touchAccount(account.id(), LegacyClock.iso(Instant.now()));
        }
        if (status >= 200 && status < 300) {
            if (!LegacyValues.isBlank(account.rateLimitStatus()) || !LegacyValues.isBlank(account.overloadStatus())) {
                relay.health.consoleSucceeded(account.id()).onSuccess(lifted -> relay.pool.reload());
            }
            if (!countTokens && request.stream()) {
                releaseTurn().onComplete(v -> {
                    if (exchange.finished()) {
                        call.request().reset();
                    } else {
                        new SseForwarder(this, response).start();
                    }
                });
            } else {
                response.resume();
                response.body().onComplete(body -> releaseTurn().onComplete(v -> {
                    if (body.failed()) {
                        failAfterUpstream(body.cause());
                    } else {
                        forwardBuffered(status, response.headers(), body.result(), true);
                    }
                }));
            }
            return;
        }
        response.resume();
        response.body().onComplete(body -> releaseTurn().onComplete(released -> {
            Buffer payload = body.succeeded() ? body.result() : Buffer.buffer();
            if (countTokens && status == 404) {
                relay.accounts.updateConsoleFields(account.id(), Map.of("countTokensUnavailable", "true",
                        "countTokensUnavailableAt", LegacyClock.iso(Instant.now())), List.of());
                exchange.finish();
                sendJson(200, new JsonObject().put("input_tokens", 0), MultiMap.caseInsensitiveMultiMap());
                return;
            }
            // the next request must already see the mark (legacy awaits it before answering)
            markAccount(account, status).onComplete(marked -> {
                if (exchange.finished()) {
                    return;
                }
                if ((status == 429 || status == 529 || status >= 500) && retryable()) {
                    lastFailure = () -> forwardError(status, response.headers(), payload);
                    moveOn(selection);
                    return;
                }
                forwardError(status, response.headers(), payload);
            });
        }));
    }

    /** The account failed before anything reached the client: give its slot back and try another one. */
    private void moveOn(AccountSelection selection) {
        excluded.add(selection.account().id());
        exchange.releaseEarly(selection.lease());
        if (sessionHash != null) {
            // the next pick writes the new mapping: the delete must land first
            relay.sticky.delete(sessionHash).onComplete(v -> attempt());
            return;
        }
        attempt();
    }

    private boolean retryable() {
        return attempts < MAX_ATTEMPTS && !ctx.response().headWritten();
    }

    /** Completes (never fails) once the account's state is written and, if it changed, the pool reloaded. */
    private Future<Void> markAccount(ClaudeConsoleAccount account, int status) {
        if (account.disableAutoProtection()) {
            return Future.succeededFuture();
        }
        Future<?> mark;
        if (status == 429) {
            mark = relay.health.consoleRateLimited(account.id());
        } else if (status == 401) {
            mark = relay.health.consoleUnauthorized(account.id());
        } else if (status == 529) {
            mark = relay.health.consoleOverloaded(account.id());
        } else if (status >= 500) {
            mark = relay.health.markTemporarilyUnavailable(ClaudeAccountScheduler.CONSOLE, account.id());
        } else {
            return Future.succeededFuture();
        }
        boolean reload = status == 429 || status == 401 || status == 529;
        return mark.compose(v -> reload ? relay.pool.reload().mapEmpty() : Future.<Void>succeededFuture())
                .otherwise(e -> {
                    LOG.warnf("state of account %s after %d not written: %s", account.id(), status, e.getMessage());
                    return null;
                }).mapEmpty();
    }

    /** Non-stream answer or count_tokens: upstream status and headers, the model as the client asked. */
    private void forwardBuffered(int status, MultiMap upstreamHeaders, Buffer body, boolean success) {
        Object parsed = null;
        try {
            parsed = io.vertx.core.json.Json.decodeValue(body);
        } catch (DecodeException e) {
            // not JSON: sent as it came
        }
        Buffer out = body;
        if (parsed instanceof JsonObject json) {
            Object upstreamModel = json.getValue("model");
            if (!countTokens) {
                // the route stamps the requested model on every JSON body, error bodies too (fixture 10)
                if (request.model() != null) {
                    json.put("model", request.model());
                }
                if (success) {
                    bill(usageOf(json.getJsonObject("usage")));
                }
            }
            // a success that already names the requested model goes out as it came (no re-encoding)
            if (!(success && !countTokens && request.model() != null && request.model().equals(upstreamModel))) {
                out = json.toBuffer();
            }
        }
        exchange.finish();
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        copyHeaders(upstreamHeaders, response.headers());
        ResponseHeaders.addCommon(response.headers());
        response.headers().set("Cache-Control", "no-cache, no-store, must-revalidate");
        response.setStatusCode(status).end(out);
    }

    private void forwardError(int status, MultiMap upstreamHeaders, Buffer payload) {
        Buffer sanitized = payload;
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(payload);
            if (parsed instanceof JsonObject json) {
                JsonObject clean = UpstreamErrorSanitizer.json(json);
                sanitized = clean.toBuffer();
            }
        } catch (DecodeException e) {
            sanitized = Buffer.buffer(UpstreamErrorSanitizer.text(payload.toString()));
        }
        if (!countTokens && !request.stream()) {
            // non-stream errors go through the route like a success (relay.md §6.3, fixture 10 console-429)
            forwardBuffered(status, upstreamHeaders, sanitized, false);
            return;
        }
        exchange.finish();
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        ResponseHeaders.addCommon(response.headers());
        response.headers().set("Cache-Control", "no-cache");
        response.putHeader("Content-Type", "application/json");
        response.setStatusCode(status).end(sanitized);
    }

    private void sendJson(int status, JsonObject body, MultiMap extra) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            return;
        }
        ResponseHeaders.addCommon(response.headers());
        extra.forEach(response::putHeader);
        response.putHeader("Content-Type", "application/json; charset=utf-8").setStatusCode(status)
                .end(body.toBuffer());
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(e -> {
            if (!NOT_COPIED.contains(e.getKey().toLowerCase())) {
                to.add(e.getKey(), e.getValue());
            }
        });
    }

    void fail(Throwable failure) {
        exchange.finish();
        ErrorWriter.write(ctx, failure);
    }

    void failAfterUpstream(Throwable cause) {
        if (exchange.finished()) {
            return; // the client left and the body read was aborted on purpose
        }
        LOG.warnf("upstream body failed: %s", cause.toString());
        fail(new RelayFailure(502, new JsonObject().put("error", "Upstream connection error")
                .put("message", "Upstream response was cut off").put("timestamp", LegacyClock.iso(Instant.now()))));
    }

    /** A client that left while the upstream was still thinking must not keep the upstream call running. */
    private void sending(HttpClientRequest upstreamRequest) {
        sending = upstreamRequest;
        if (exchange.finished()) {
            upstreamRequest.reset();
        }
    }

    private void clientGone() {
        boolean answered = ctx.response().ended();
        if (!answered && !exchange.finished()) {
            LOG.debug("client left before its answer");
            clientLeft(ctx.response().headWritten() ? ClientDisconnects.Phase.STREAMING
                    : ClientDisconnects.Phase.WAITING);
        }
        // finished first: the reset fails the pending call, which must not count against the account
        exchange.finish();
        HttpClientRequest inProgress = sending; // the latest attempt's request (a failed-over one is done)
        if (inProgress != null && !answered) {
            inProgress.reset();
        }
    }

    void clientLeft(ClientDisconnects.Phase phase) {
        relay.disconnects.left(phase);
    }

    RoutingContext ctx() {
        return ctx;
    }

    RelayExchange exchange() {
        return exchange;
    }

    MessagesRequest request() {
        return request;
    }

    /** Bills once per request; later calls (e.g. a disconnect after the end) are ignored. */
    void bill(Usage usage) {
        if (billed || key == null) {
            return;
        }
        billed = true;
        String touch = touchAccountWithUsage;
        if (usage == null) {
            if (touch != null && currentAccountId() != null) {
                touchAccount(currentAccountId(), touch);
            }
            return;
        }
        UsageEvent event = new UsageEvent(key.key().id(), key.key().name(), key.key().userId(),
                currentAccountId(), ClaudeAccountScheduler.CONSOLE, request.modelWithoutVendor(), usage,
                startedAt, key.windowActive());
        String accountHash = touch == null || currentAccountId() == null ? null
                : AccountStore.Kind.CLAUDE_CONSOLE.key(currentAccountId());
        // planned and sent in the next event-loop turn: the answer being written now goes out first, instead of
        // waiting behind the few hundred counter updates of its own bill
        relay.vertx.runOnContext(v -> record(event, accountHash, touch));
    }

    private void record(UsageEvent event, String accountHash, String touch) {
        relay.usage.record(event, accountHash, touch).onFailure(e -> {
            if (e instanceof UsageDeferred) {
                // not lost: the usage queue logs each waiting batch (WARN) and writes it when Redis is back
                LOG.debugf("usage of key %s deferred: %s", key.key().id(), e.getMessage());
            } else {
                LOG.errorf(e, "usage of key %s lost", key.key().id());
            }
        });
    }

    private void touchAccount(String accountId, String iso) {
        relay.accounts.updateConsoleFields(accountId, Map.of("lastUsedAt", iso), List.of())
                .onFailure(e -> LOG.warnf("lastUsedAt of account %s not written: %s", accountId, e.getMessage()));
    }

    private String currentAccountId() {
        return selected == null ? null : selected.account().id();
    }

    static Usage usageOf(JsonObject usage) {
        if (usage == null || !(usage.getValue("input_tokens") instanceof Number)
                || !(usage.getValue("output_tokens") instanceof Number)) {
            return null;
        }
        long e5 = 0;
        long e1 = 0;
        boolean split = false;
        JsonObject cc = usage.getJsonObject("cache_creation");
        if (cc != null) {
            e5 = cc.getLong("ephemeral_5m_input_tokens", 0L);
            e1 = cc.getLong("ephemeral_1h_input_tokens", 0L);
            split = e5 + e1 > 0;
        }
        long cacheCreate = split ? e5 + e1 : usage.getLong("cache_creation_input_tokens", 0L);
        return new Usage(usage.getLong("input_tokens"), usage.getLong("output_tokens"), cacheCreate,
                usage.getLong("cache_read_input_tokens", 0L), e5, e1, null);
    }
}
