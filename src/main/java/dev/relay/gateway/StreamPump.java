package dev.relay.gateway;

import dev.relay.usage.Usage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Pipes an upstream event stream to the client (its head with the upstream's headers, as a whole answer has them)
 * with back-pressure (the upstream is paused while the client's write
 * queue is full), through a {@link StreamTap} that reads usage on the way. End, upstream failure and client
 * disconnect each end the stream once: {@code onEnd} gets the usage seen so far. A stream cut before its terminal
 * event is closed with an error event in the client API's format.
 */
public final class StreamPump {
    private static final Logger LOG = Logger.getLogger(StreamPump.class);

    private final Vertx vertx;
    private final HttpClientResponse upstream;
    private final HttpServerResponse client;
    private final StreamTap tap;
    private final Function<String, Buffer> errorEvent;
    private final Consumer<Usage> onEnd;
    private final ClientDisconnects disconnects;
    private boolean done;
    /**
     * Events read but not yet written. Chunks that arrive in one read of the upstream socket are written to the
     * client together, at the end of that event-loop turn: one socket write instead of one per event.
     */
    private Buffer pending;
    /** Whether {@link #pending} is our own buffer (else it may be the upstream's chunk, not to be appended to). */
    private boolean pendingOwned;

    /**
     * @param errorEvent the client API's terminal error event for a message
     * @param onEnd called exactly once with the usage read (null when none)
     */
    public StreamPump(Vertx vertx, HttpClientResponse upstream, HttpServerResponse client, StreamTap tap,
            Function<String, Buffer> errorEvent, Consumer<Usage> onEnd, ClientDisconnects disconnects) {
        this.vertx = vertx;
        this.upstream = upstream;
        this.client = client;
        this.tap = tap;
        this.errorEvent = errorEvent;
        this.onEnd = onEnd;
        this.disconnects = disconnects;
    }

    public void start() {
        ClientAnswer.openEventStream(client, upstream.headers());
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
        vertx.getOrCreateContext().runOnContext(v -> flush());
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
        if (!tap.complete() && !tap.endedWithError()) {
            client.write(errorEvent.apply("Upstream stream ended before message_stop"));
        }
        finish();
        client.end();
    }

    private void onUpstreamFailure(Throwable cause) {
        if (done) {
            return;
        }
        LOG.warnf("upstream stream failed: %s", cause.toString());
        endWithError("Upstream stream was interrupted");
    }

    /**
     * Ends the stream early (e.g. at shutdown): the events read so far, then the client API's terminal error event
     * with {@code message}; billed with the usage seen; the upstream call is reset.
     */
    public void cut(String message) {
        if (done) {
            return;
        }
        endWithError(message);
        upstream.request().reset();
    }

    private void endWithError(String message) {
        flush();
        boolean open = !client.closed();
        if (open) {
            client.write(errorEvent.apply(message));
        }
        // billed and the leases released before the client sees the end (as on every other path)
        finish();
        if (open) {
            client.end();
        }
    }

    private void clientGone() {
        if (done) {
            return;
        }
        LOG.debug("client left mid-stream");
        disconnects.left(ClientDisconnects.Phase.STREAMING);
        // done first: the reset fails the upstream stream, which is then no upstream failure to report
        finish();
        upstream.request().reset();
    }

    private void finish() {
        done = true;
        onEnd.accept(tap.usage());
    }
}
