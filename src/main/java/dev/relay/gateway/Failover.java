package dev.relay.gateway;

import dev.relay.account.Account;
import dev.relay.failure.RelayFailure;
import dev.relay.scheduler.AccountPicker;
import dev.relay.scheduler.AccountSelection;
import dev.relay.store.LegacyClock;
import dev.relay.store.SessionMapping;
import dev.relay.store.StickySessions;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The one failover loop, for every upstream: pick an account (its lease joins the exchange) → let the client API
 * admit the call → call the upstream → classify the answer → on "try another", mark the account, exclude it, give
 * its slot back and go again, as long as nothing reached the client and attempts remain. A success or a final
 * error goes to the {@link Delivery}; when no account is left, the client gets the last upstream failure.
 */
public final class Failover<A extends Account> {
    private static final Logger LOG = Logger.getLogger(Failover.class);
    public static final int MAX_ATTEMPTS = 3;

    private final Flight flight;
    private final Operation operation;
    private final AccountPicker<A> picker;
    private final UpstreamAdapter<A> upstream;
    private final Delivery<A> delivery;
    private final Billing billing;
    private final StickySessions sticky;
    private final ClientDisconnects disconnects;
    /** The sticky mapping read during authentication, for the first attempt only (failover reads it again). */
    private Future<Optional<SessionMapping>> stickyRead;
    private final Set<String> excluded = new HashSet<>();
    /** The upstream request of the latest attempt, from the moment it is sent (before its response exists). */
    private volatile HttpClientRequest sending;
    private CallPermit permit = CallPermit.free();
    private int attempts;
    /** Answers the client with the last upstream failure, for when failover finds no other account. */
    private Runnable lastFailure;
    /** After an account declined the operation, further picks come from the pool, leaving the session's mapping. */
    private boolean poolOnly;

    public Failover(Flight flight, Operation operation, AccountPicker<A> picker, UpstreamAdapter<A> upstream,
            Delivery<A> delivery, Billing billing, StickySessions sticky, ClientDisconnects disconnects,
            Future<Optional<SessionMapping>> stickyRead) {
        this.flight = flight;
        this.operation = operation;
        this.picker = picker;
        this.upstream = upstream;
        this.delivery = delivery;
        this.billing = billing;
        this.sticky = sticky;
        this.disconnects = disconnects;
        this.stickyRead = stickyRead;
    }

    public void start() {
        flight.ctx().response().closeHandler(v -> clientGone());
        if (flight.exchange().finished()) {
            return;
        }
        attempt();
    }

    private void attempt() {
        Future<Optional<SessionMapping>> prefetched = poolOnly ? null : stickyRead;
        stickyRead = null;
        picker.select(flight.key().key(), poolOnly ? null : flight.sessionHash(),
                poolOnly ? null : flight.request().legacySessionHash(), flight.request().schedulingModel(),
                flight.request().vendor(), excluded, prefetched).onComplete(this::onSelected);
    }

    private void onSelected(AsyncResult<AccountSelection<A>> ar) {
        if (ar.failed()) {
            if (lastFailure != null) {
                lastFailure.run();
            } else {
                fail(ar.cause());
            }
            return;
        }
        AccountSelection<A> selection = ar.result();
        RelayExchange exchange = flight.exchange();
        exchange.hold(selection.lease());
        billing.account(selection.account(), iso -> upstream.touch(selection.account(), iso));
        if (exchange.finished()) {
            return;
        }
        delivery.admit(selection).onComplete(admitted -> {
            if (admitted.failed()) {
                fail(admitted.cause());
                return;
            }
            if (admitted.result().wasAnswered()) {
                return;
            }
            if (admitted.result().declined() != null) {
                skip(selection, admitted.result().declined());
                return;
            }
            permit = admitted.result();
            if (permit.holds()) {
                exchange.onFinish(permit::release);
            }
            if (!exchange.finished()) {
                send(selection);
            }
        });
    }

    private void send(AccountSelection<A> selection) {
        attempts++;
        upstream.send(selection.account(), flight, operation, this::sending).onComplete(call -> {
            if (call.failed()) {
                permit.release();
                onNoAnswer(selection, call.cause());
            } else {
                onAnswer(selection, call.result());
            }
        });
    }

    private void onNoAnswer(AccountSelection<A> selection, Throwable cause) {
        if (flight.exchange().finished()) {
            return; // the client left and the call was aborted on purpose
        }
        LOG.warnf("upstream call to account %s failed: %s", selection.accountId(), cause.toString());
        boolean timeout = cause instanceof TimeoutException || String.valueOf(cause.getMessage()).contains("timeout");
        RelayFailure failure = new RelayFailure(timeout ? 504 : 502, new JsonObject()
                .put("error", timeout ? "Upstream timeout" : "Upstream connection error")
                .put("message", timeout ? "Request timeout" : "Upstream request failed")
                .put("timestamp", LegacyClock.iso(Instant.now())));
        if (retryable()) {
            lastFailure = () -> fail(failure);
            upstream.mark(selection.account(), Verdict.noAnswer(timeout).mark()).onComplete(marked -> {
                if (!flight.exchange().finished()) {
                    moveOn(selection);
                }
            });
            return;
        }
        fail(failure);
    }

    private void onAnswer(AccountSelection<A> selection, UpstreamCall call) {
        if (flight.exchange().finished()) {
            call.request().reset();
            return;
        }
        HttpClientResponse response = call.response();
        int status = response.statusCode();
        A account = selection.account();
        Verdict verdict = upstream.classify(account, status, flight);
        // relay.md §5.3: lastUsedAt after every call, whatever the status (fixtures 04, 10); a billed answer
        // writes it with its usage, in the same round trip
        String now = LegacyClock.iso(Instant.now());
        if (verdict.outcome() == Verdict.Outcome.OK && operation == Operation.GENERATE) {
            billing.touchWithUsage(now);
        } else {
            upstream.touch(account, now);
        }
        if (verdict.outcome() == Verdict.Outcome.OK) {
            upstream.succeeded(account);
            if (delivery instanceof StreamingDelivery<A> streaming && operation == Operation.GENERATE
                    && flight.request().stream()) {
                permit.release().onComplete(v -> {
                    if (flight.exchange().finished()) {
                        call.request().reset();
                    } else {
                        streaming.stream(selection, call);
                    }
                });
            } else {
                response.resume();
                response.body().onComplete(body -> permit.release().onComplete(v -> {
                    if (body.failed()) {
                        failAfterUpstream(body.cause());
                    } else {
                        delivery.whole(selection, status, response.headers(), body.result());
                    }
                }));
            }
            return;
        }
        response.resume();
        response.body().onComplete(body -> permit.release().onComplete(released -> {
            Buffer payload = body.succeeded() ? body.result() : Buffer.buffer();
            // the next request must already see the mark (legacy awaits it before answering)
            upstream.mark(account, verdict.mark(), response.headers(), flight).onComplete(marked -> {
                if (flight.exchange().finished()) {
                    return;
                }
                if (verdict.outcome() == Verdict.Outcome.TRY_ANOTHER && retryable()) {
                    lastFailure = () -> delivery.upstreamError(selection, status, response.headers(), payload);
                    moveOn(selection);
                    return;
                }
                delivery.declines(selection, status).onComplete(declined -> {
                    if (flight.exchange().finished()) {
                        return;
                    }
                    if (declined.succeeded() && declined.result() != null && retryable()) {
                        skip(selection, declined.result());
                    } else {
                        delivery.upstreamError(selection, status, response.headers(), payload);
                    }
                });
            });
        }));
    }

    /** The account failed before anything reached the client: give its slot back and try another one. */
    private void moveOn(AccountSelection<A> selection) {
        excluded.add(selection.accountId());
        flight.exchange().releaseEarly(selection.lease());
        if (flight.sessionHash() != null) {
            // the next pick writes the new mapping: the delete must land first
            sticky.delete(flight.sessionHash()).onComplete(v -> attempt());
            return;
        }
        attempt();
    }

    /**
     * The account cannot serve this operation: another one is picked, without a mark (a skip before the call uses
     * no attempt).
     */
    private void skip(AccountSelection<A> selection, RelayFailure whenNoneCan) {
        lastFailure = () -> fail(whenNoneCan);
        excluded.add(selection.accountId());
        flight.exchange().releaseEarly(selection.lease());
        poolOnly = true;
        attempt();
    }

    private boolean retryable() {
        return attempts < MAX_ATTEMPTS && !flight.ctx().response().headWritten();
    }

    void fail(Throwable failure) {
        flight.exchange().finish();
        ClientAnswer.error(flight.ctx(), failure);
    }

    private void failAfterUpstream(Throwable cause) {
        if (flight.exchange().finished()) {
            return; // the client left and the body read was aborted on purpose
        }
        LOG.warnf("upstream body failed: %s", cause.toString());
        fail(new RelayFailure(502, new JsonObject().put("error", "Upstream connection error")
                .put("message", "Upstream response was cut off").put("timestamp", LegacyClock.iso(Instant.now()))));
    }

    /** A client that left while the upstream was still thinking must not keep the upstream call running. */
    private void sending(HttpClientRequest upstreamRequest) {
        sending = upstreamRequest;
        if (flight.exchange().finished()) {
            upstreamRequest.reset();
        }
    }

    private void clientGone() {
        boolean answered = flight.ctx().response().ended();
        if (!answered && !flight.exchange().finished()) {
            LOG.debug("client left before its answer");
            disconnects.left(flight.ctx().response().headWritten() ? ClientDisconnects.Phase.STREAMING
                    : ClientDisconnects.Phase.WAITING);
        }
        // finished first: the reset fails the pending call, which must not count against the account
        flight.exchange().finish();
        HttpClientRequest inProgress = sending; // the latest attempt's request (a failed-over one is done)
        if (inProgress != null && !answered) {
            inProgress.reset();
        }
    }
}
