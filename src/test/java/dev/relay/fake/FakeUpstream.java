package dev.relay.fake;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake upstream provider on a free loopback port, for tests and as the benchmark's upstream. Its
 * {@link WireFormat} says which paths it serves and what an answer looks like; this class is the server around it.
 *
 * <p>What it answers: the next queued reply ({@link #nextReplies}), else the default reply ({@link #defaultReply},
 * initially {@link Reply#ok()}), then adjusted by {@code x-fake-*} request headers when a caller can send them
 * directly ({@link #STATUS_HEADER}, {@link #DELAY_HEADER}, {@link #CHUNKS_HEADER}, {@link #CUT_AFTER_HEADER},
 * {@link #RATELIMIT_RESET_HEADER}, {@link #ERROR_TYPE_HEADER}). A gateway does not forward those headers, so tests
 * through the gateway use the queue. A path the wire format does not serve gets a 404 in its error format.
 *
 * <p>How: every request is recorded ({@link #requests}) and counted while in flight; a reply waits its delay, then
 * a whole body is sent with its length, a stream frame by frame, honouring back-pressure, paced, cut or failed as
 * scripted.
 */
public class FakeUpstream implements AutoCloseable {
    public static final String STATUS_HEADER = ReplyOverrides.STATUS;
    public static final String DELAY_HEADER = ReplyOverrides.DELAY;
    public static final String CHUNKS_HEADER = ReplyOverrides.CHUNKS;
    public static final String CUT_AFTER_HEADER = ReplyOverrides.CUT_AFTER;
    public static final String RATELIMIT_RESET_HEADER = ReplyOverrides.RATELIMIT_RESET;
    public static final String ERROR_TYPE_HEADER = ReplyOverrides.ERROR_TYPE;

    private final WireFormat wire;
    private final int eventLoops;
    private final Vertx vertx;
    private final UpstreamTraffic traffic = new UpstreamTraffic();
    private final FrameWriter frames;
    private final List<HttpServer> servers = new ArrayList<>();
    private final Queue<EncodedReply> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private volatile EncodedReply defaultReply;
    private volatile boolean recording = true;
    private volatile int port = -1;

    /** One event loop: enough for tests. */
    public FakeUpstream(WireFormat wire) {
        this(wire, 1);
    }

    /** Several event loops sharing the port, for load tests. */
    public FakeUpstream(WireFormat wire, int eventLoops) {
        this.wire = wire;
        this.eventLoops = Math.max(1, eventLoops);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(this.eventLoops));
        this.frames = new FrameWriter(vertx, traffic);
        this.defaultReply = wire.encode(Reply.ok());
    }

    /** Starts listening on a free 127.0.0.1 port and returns the base URL, e.g. {@code http://127.0.0.1:41234}. */
    public synchronized String start() {
        if (port > 0) {
            return baseUrl();
        }
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setTcpNoDelay(true).setCompressionSupported(false);
        HttpServer first = await(vertx.createHttpServer(options).requestHandler(this::handle).listen());
        servers.add(first);
        port = first.actualPort();
        for (int i = 1; i < eventLoops; i++) {
            // same host and port in one Vertx: the servers share the socket, one event loop each
            servers.add(await(vertx.createHttpServer(new HttpServerOptions(options).setPort(port))
                    .requestHandler(this::handle).listen()));
        }
        return baseUrl();
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The reply used when the queue is empty. */
    public FakeUpstream defaultReply(Reply reply) {
        this.defaultReply = wire.encode(reply);
        return this;
    }

    /** Queues replies for the next requests, in order, ahead of the default reply. */
    public FakeUpstream nextReplies(Reply... replies) {
        for (Reply r : replies) {
            enqueue(r);
        }
        return this;
    }

    public FakeUpstream enqueue(Reply reply) {
        queue.add(wire.encode(reply));
        return this;
    }

    /** Replies queued and not used yet. */
    public int pendingReplies() {
        return queue.size();
    }

    /** Recording keeps every body in memory; a benchmark switches it off. */
    public FakeUpstream recordRequests(boolean enabled) {
        this.recording = enabled;
        return this;
    }

    /** A copy of every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public RecordedRequest lastRequest() {
        synchronized (requests) {
            return requests.isEmpty() ? null : requests.get(requests.size() - 1);
        }
    }

    /** Stream events handed to the network so far, over all requests (a writer that honours back-pressure). */
    public long eventsWritten() {
        return traffic.framesWritten();
    }

    /** Requests received (recorded or not). */
    public long requestCount() {
        return traffic.requests();
    }

    /** Waits until at least this many requests arrived; false on timeout. */
    public boolean awaitRequests(long count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (traffic.requests() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Requests received whose response has not ended yet (body complete or connection closed). */
    public int inFlight() {
        return traffic.inFlight();
    }

    /** The most requests that were in flight at the same time since the last {@link #reset}. */
    public int maxInFlight() {
        return traffic.maxInFlight();
    }

    /** Streams whose writer is stopped right now because their reader has not taken what was written. */
    public int streamsHeldBack() {
        return traffic.heldBack();
    }

    /** Forgets queued replies and recorded requests and restores the default {@link Reply#ok()}. */
    public FakeUpstream reset() {
        queue.clear();
        traffic.resetPeak();
        synchronized (requests) {
            requests.clear();
        }
        defaultReply = wire.encode(Reply.ok());
        return this;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing a test server: nothing left to do
        }
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> answer(request, body))
                .onFailure(e -> request.connection().close());
    }

    private void answer(HttpServerRequest request, Buffer body) {
        ServedResponse served = traffic.serve(request.response());
        long sequence = traffic.arrived();
        if (recording) {
            record(request, body);
        }
        EncodedReply chosen = replyTo(request);
        WireRequest call = new WireRequest(request.path(), body, sequence);
        long delayMs = chosen.reply().delayMs();
        if (delayMs > 0) {
            vertx.setTimer(delayMs, t -> send(request, served, chosen, call));
        } else {
            send(request, served, chosen, call);
        }
    }

    /** The next scripted reply, as the request's {@code x-fake-*} headers change it; a 404 off the wire's paths. */
    private EncodedReply replyTo(HttpServerRequest request) {
        EncodedReply polled = queue.poll();
        EncodedReply scripted = polled != null ? polled : defaultReply;
        if (!wire.serves(request.path())) {
            return wire.encode(Reply.status(404).errorMessage("Not found: " + request.path()));
        }
        Reply overridden = ReplyOverrides.apply(scripted.reply(), request.headers());
        return overridden == scripted.reply() ? scripted : wire.encode(overridden);
    }

    private void send(HttpServerRequest request, ServedResponse served, EncodedReply encoded, WireRequest call) {
        Reply reply = encoded.reply();
        HttpServerResponse response = served.response();
        response.setStatusCode(reply.status());
        WireAnswer answer = encoded.answer(call, response.headers());
        for (Map.Entry<String, String> h : reply.headers()) {
            response.headers().add(h.getKey(), h.getValue());
        }
        response.headers().set(HttpHeaders.CONTENT_TYPE, answer.contentType());
        if (answer instanceof WireAnswer.Frames stream) {
            frames.write(request, served, reply, stream);
        } else {
            endBody(request, ((WireAnswer.Whole) answer).body(), reply.cutAfter() >= 0);
        }
    }

    private static void endBody(HttpServerRequest request, Buffer body, boolean cut) {
        HttpServerResponse response = request.response();
        if (!cut) {
            response.end(body);
            return;
        }
        response.headers().set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        response.write(body.getBuffer(0, body.length() / 2)).onComplete(x -> request.connection().close());
    }

    private void record(HttpServerRequest request, Buffer body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.add(new SimpleImmutableEntry<>(h.getKey(), h.getValue()));
        }
        RecordedRequest recorded = new RecordedRequest(request.method().name(), request.uri(), List.copyOf(headers),
                body.toString());
        synchronized (requests) {
            requests.add(recorded);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start: " + e, e);
        }
    }
}
