package dev.relay.relay.claude;

import dev.relay.relay.ClientDisconnects;
import dev.relay.relay.ResponseHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;

/**
 * Pipes an upstream SSE stream to the client with back-pressure (the upstream is paused while the client's write
 * queue is full), reading usage on the way. End, upstream failure and client disconnect each end the flight once;
 * a stream cut before {@code message_stop} is closed with an Anthropic {@code error} event, and the usage seen so
 * far is billed.
 */
final class SseForwarder {
    private static final Logger LOG = Logger.getLogger(SseForwarder.class);

    private final ClaudeFlight flight;
    private final HttpClientResponse upstream;
    private final HttpServerResponse client;
    private final SseUsageTap tap;
    private boolean done;
    /**
     * Events read but not yet written. Chunks that arrive in one read of the upstream socket are written to the
     * client together, at the end of that event-loop turn: one socket write instead of one per event.
     */
    private Buffer pending;
    /** Whether {@link #pending} is our own buffer (else it may be the upstream's chunk, not to be appended to). */
    private boolean pendingOwned;

    SseForwarder(ClaudeFlight flight, HttpClientResponse upstream) {
        this.flight = flight;
        this.upstream = upstream;
        this.client = flight.ctx().response();
        this.tap = new SseUsageTap(flight.request().model());
    }

    void start() {
        ResponseHeaders.addCommon(client.headers());
        client.setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Connection", "keep-alive")
                .putHeader("X-Accel-Buffering", "no");
        client.closeHandler(v -> clientGone());
        upstream.handler(this::onChunk);
        upstream.exceptionHandler(this::onUpstreamFailure);
        upstream.endHandler(v -> onUpstreamEnd());
        upstream.resume();
    }

    private void onChunk(Buffer chunk) {
        if (done) {
            return;
        }
        Buffer out = tap.process(chunk);
        if (out.length() == 0) {
            return;
        }
        if (pending != null) {
            if (!pendingOwned) {
                pending = Buffer.buffer(pending.length() + out.length() + 256).appendBuffer(pending);
                pendingOwned = true;
            }
            pending.appendBuffer(out);
            return;
        }
        pending = out;
        pendingOwned = false;
        flight.ctx().vertx().getOrCreateContext().runOnContext(v -> flush());
    }

    /** Writes what the current turn has read; pauses the upstream while the client's write queue is full. */
    private void flush() {
        Buffer out = pending;
        pending = null;
        if (out == null || done || client.closed()) {
            return;
        }
        client.write(out);
        if (client.writeQueueFull()) {
            upstream.pause();
            client.drainHandler(v -> upstream.resume());
        }
    }

    private void onUpstreamEnd() {
        if (done) {
            return;
        }
        flush();
        Buffer rest = tap.drain();
        if (rest.length() > 0) {
            client.write(rest);
        }
        // an upstream that already ended with its own error event (relay.md §6.1) gets no second one
        if (!tap.complete() && tap.errorMessage() == null) {
            client.write(errorEvent("Upstream stream ended before message_stop"));
        }
        finish();
        client.end();
    }

    private void onUpstreamFailure(Throwable cause) {
        if (done) {
            return;
        }
        LOG.warnf("upstream stream failed: %s", cause.toString());
        flush();
        if (!client.closed()) {
            client.write(errorEvent("Upstream stream was interrupted"));
            client.end();
        }
        finish();
    }

    private void clientGone() {
        if (done) {
            return;
        }
        LOG.debug("client left mid-stream");
        flight.clientLeft(ClientDisconnects.Phase.STREAMING);
        // done first: the reset fails the upstream stream, which is then no upstream failure to report
        finish();
        upstream.request().reset();
    }

    private void finish() {
        done = true;
        flight.bill(tap.usage());
        flight.exchange().finish();
    }

    static Buffer errorEvent(String message) {
        JsonObject event = new JsonObject().put("type", "error")
                .put("error", new JsonObject().put("type", "api_error").put("message", message));
        return Buffer.buffer("event: error\ndata: " + event.encode() + "\n\n");
    }
}
