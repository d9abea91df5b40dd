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
import io.vertx.core.MultiMap;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake Anthropic Messages API on a free loopback port, for tests and as the benchmark's upstream. It serves
 * {@code POST /v1/messages} (JSON or SSE, chosen by {@code "stream":true} in the body) and
 * {@code POST /v1/messages/count_tokens} in the capture's wire format (fixtures 04, 05, 10).
 *
 * <p>What it answers: the next queued reply ({@link #nextReplies}), else the default reply ({@link #defaultReply},
 * initially {@link Reply#ok()}), then adjusted by {@code x-fake-*} request headers when a caller can send them
 * directly ({@code x-fake-status}, {@code x-fake-delay-ms}, {@code x-fake-chunks}, {@code x-fake-cut-after},
 * {@code x-fake-ratelimit-reset}, {@code x-fake-error-type}). A gateway does not forward those headers, so tests
 * through the gateway use the queue.
 */
public final class FakeAnthropic implements AutoCloseable {
    public static final String STATUS_HEADER = "x-fake-status";
    public static final String DELAY_HEADER = "x-fake-delay-ms";
    public static final String CHUNKS_HEADER = "x-fake-chunks";
    public static final String CUT_AFTER_HEADER = "x-fake-cut-after";
    public static final String RATELIMIT_RESET_HEADER = "x-fake-ratelimit-reset";
    public static final String ERROR_TYPE_HEADER = "x-fake-error-type";

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized("request-id");
    private static final CharSequence UNIFIED_STATUS = HttpHeaders.createOptimized("anthropic-ratelimit-unified-status");
    private static final CharSequence UNIFIED_5H_STATUS =
            HttpHeaders.createOptimized("anthropic-ratelimit-unified-5h-status");
    private static final CharSequence ALLOWED = HttpHeaders.createOptimized("allowed");
    private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

    private final int eventLoops;
    private final Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();
    private final Queue<CompiledReply> queue = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong eventsWritten = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile CompiledReply defaultReply = new CompiledReply(Reply.ok());
    private volatile boolean recording = true;
    private volatile int port = -1;

    /** One event loop: enough for tests. */
    public FakeAnthropic() {
        this(1);
    }

    /** Several event loops sharing the port, for load tests. */
    public FakeAnthropic(int eventLoops) {
        this.eventLoops = Math.max(1, eventLoops);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(this.eventLoops));
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
    public FakeAnthropic defaultReply(Reply reply) {
        this.defaultReply = new CompiledReply(reply);
        return this;
    }

    /** Queues replies for the next requests, in order, ahead of the default reply. */
    public FakeAnthropic nextReplies(Reply... replies) {
        for (Reply r : replies) {
            enqueue(r);
        }
        return this;
    }

    public FakeAnthropic enqueue(Reply reply) {
        queue.add(new CompiledReply(reply));
        return this;
    }

    /** Replies queued and not used yet. */
    public int pendingReplies() {
        return queue.size();
    }

    /** Recording keeps every body in memory; a benchmark switches it off. */
    public FakeAnthropic recordRequests(boolean enabled) {
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

    /** Requests received (recorded or not). */
    /** Stream events handed to the network so far, over all requests (a writer that honours back-pressure). */
    public long eventsWritten() {
        return eventsWritten.get();
    }

    public long requestCount() {
        return sequence.get();
    }

    /** Waits until at least this many requests arrived; false on timeout. */
    public boolean awaitRequests(long count, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (sequence.get() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** Requests received whose response has not ended yet (body complete or connection closed). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests that were in flight at the same time since the last {@link #reset}. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Forgets queued replies and recorded requests and restores the default {@link Reply#ok()}. */
    public FakeAnthropic reset() {
        queue.clear();
        maxInFlight.set(inFlight.get());
        synchronized (requests) {
            requests.clear();
        }
        defaultReply = new CompiledReply(Reply.ok());
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
        trackInFlight(request.response());
        long seq = sequence.incrementAndGet();
        if (recording) {
            record(request, body);
        }
        CompiledReply polled = queue.poll();
        CompiledReply compiled = withHeaderOverrides(polled != null ? polled : defaultReply, request.headers());
        String path = request.path();
        HttpServerResponse response = request.response();
        boolean countTokens = path.equals("/v1/messages/count_tokens");
        if (!countTokens && !path.equals("/v1/messages")) {
            compiled = new CompiledReply(Reply.status(404).errorMessage("Not found: " + path));
        }
        CompiledReply reply = compiled;
        boolean stream = !countTokens && StreamRequestDetector.wantsStream(body);
        Runnable send = () -> send(request, response, reply, seq, countTokens, stream);
        if (reply.reply.delayMs() > 0) {
            vertx.setTimer(reply.reply.delayMs(), t -> send.run());
        } else {
            send.run();
        }
    }

    private void trackInFlight(HttpServerResponse response) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        AtomicBoolean done = new AtomicBoolean();
        Runnable leave = () -> {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        response.endHandler(v -> leave.run());
        response.closeHandler(v -> leave.run());
    }

    private void send(HttpServerRequest request, HttpServerResponse response, CompiledReply compiled, long seq,
            boolean countTokens, boolean stream) {
        Reply reply = compiled.reply;
        String id = pad(seq);
        MultiMap headers = response.headers();
        response.setStatusCode(reply.status());
        headers.add(REQUEST_ID, "req_fake_" + id);
        if (reply.success()) {
            headers.add(UNIFIED_STATUS, ALLOWED);
            headers.add(UNIFIED_5H_STATUS, ALLOWED);
        } else if (reply.status() == 429) {
            if (reply.rateLimitReset() != null) {
                headers.add("anthropic-ratelimit-unified-reset", String.valueOf(reply.rateLimitReset()));
            }
            headers.add("retry-after", "60");
        }
        for (Map.Entry<String, String> h : reply.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        if (compiled.rawBody != null) {
            headers.set(HttpHeaders.CONTENT_TYPE, reply.rawContentType());
            endBody(request, response, compiled.rawBody, reply.cutAfter() >= 0);
        } else if (!reply.success()) {
            headers.set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
            endBody(request, response, compiled.errorBody, reply.cutAfter() >= 0);
        } else if (countTokens) {
            headers.set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
            endBody(request, response, compiled.countTokensBody, reply.cutAfter() >= 0);
        } else if (!stream) {
            headers.set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
            endBody(request, response, compiled.messageBody("msg_fake_" + id), reply.cutAfter() >= 0);
        } else {
            headers.set(HttpHeaders.CONTENT_TYPE, EVENT_STREAM);
            headers.set(HttpHeaders.CACHE_CONTROL, NO_CACHE);
            response.setChunked(true);
            writeEvents(request, response, compiled, "msg_fake_" + id, 0);
        }
    }

    private void endBody(HttpServerRequest request, HttpServerResponse response, Buffer body, boolean cut) {
        if (!cut) {
            response.end(body);
            return;
        }
        response.headers().set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
        response.write(body.getBuffer(0, body.length() / 2)).onComplete(x -> request.connection().close());
    }

    private void writeEvents(HttpServerRequest request, HttpServerResponse response, CompiledReply compiled,
            String messageId, int from) {
        Reply reply = compiled.reply;
        int total = compiled.eventCount();
        int index = from;
        Future<Void> written = Future.succeededFuture();
        while (index < total) {
            if (reply.cutAfter() >= 0 && index >= reply.cutAfter()) {
                // abrupt end once the events are on the wire: no final chunk, the client sees the drop mid-stream
                written.onComplete(x -> request.connection().close());
                return;
            }
            if (response.closed()) {
                return;
            }
            if (index == reply.streamErrorAfter()) {
                response.end(compiled.streamErrorEvent);
                return;
            }
            written = response.write(compiled.event(index, messageId));
            eventsWritten.incrementAndGet();
            index++;
            if (response.writeQueueFull() && index < total) {
                // as a real server does: stop producing until the reader has caught up
                int next = index;
                response.drainHandler(v -> writeEvents(request, response, compiled, messageId, next));
                return;
            }
            if (reply.eventDelayMs() > 0 && index < total) {
                int next = index;
                vertx.setTimer(reply.eventDelayMs(), t -> writeEvents(request, response, compiled, messageId, next));
                return;
            }
        }
        response.end();
    }

    private CompiledReply withHeaderOverrides(CompiledReply base, MultiMap h) {
        String status = h.get(STATUS_HEADER);
        String delay = h.get(DELAY_HEADER);
        String chunks = h.get(CHUNKS_HEADER);
        String cut = h.get(CUT_AFTER_HEADER);
        String reset = h.get(RATELIMIT_RESET_HEADER);
        String errorType = h.get(ERROR_TYPE_HEADER);
        if (status == null && delay == null && chunks == null && cut == null && reset == null && errorType == null) {
            return base;
        }
        Reply r = base.reply;
        if (status != null) {
            Reply s = Reply.status(Integer.parseInt(status.trim()));
            r = s.usage(r.usage()).model(r.model()).text(r.text()).chunks(r.chunks()).delayMs(r.delayMs())
                    .cutAfter(r.cutAfter()).eventDelayMs(r.eventDelayMs());
        }
        if (delay != null) {
            r = r.delayMs(Long.parseLong(delay.trim()));
        }
        if (chunks != null) {
            r = r.chunks(Integer.parseInt(chunks.trim()));
        }
        if (cut != null) {
            r = r.cutAfter(Integer.parseInt(cut.trim()));
        }
        if (reset != null) {
            r = r.rateLimitReset(Long.parseLong(reset.trim()));
        }
        if (errorType != null) {
            r = r.errorType(errorType.trim());
        }
        return new CompiledReply(r);
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

    private static String pad(long seq) {
        String s = Long.toString(seq);
        return s.length() >= 6 ? s : "000000".substring(s.length()) + s;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start: " + e, e);
        }
    }
}
