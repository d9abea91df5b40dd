package dev.relay.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop client load for fault scenarios: {@code connections} loops, each sending its next request when the
 * previous answer has been read, alternating stream and non-stream. Every outcome is counted: the HTTP status, or
 * {@code "no answer"} when the connection failed or closed before a complete answer; a 200 stream that ended with
 * an {@code error} event is counted as {@code "200 cut"}; {@code billed} counts the 200s whose answer carried usage
 * (every 200 from the fake upstream does), i.e. the requests the gateway must have booked.
 */
final class FaultLoad implements AutoCloseable {
    static final String NO_ANSWER = "no answer";
    static final String CUT = "200 cut";

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient client;
    private final int port;
    private final Map<String, String> headers;
    private final int connections;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger loopsLeft;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final LongAdder billed = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();
    private boolean streamsOnce;

    FaultLoad(int port, Map<String, String> headers, int connections) {
        this.port = port;
        this.headers = headers;
        this.connections = connections;
        this.loopsLeft = new AtomicInteger(connections);
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout(2_000).setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Each loop sends one stream request only (for long streams cut by a shutdown). */
    FaultLoad streamsOnly() {
        streamsOnce = true;
        return this;
    }

    FaultLoad start() {
        for (int i = 0; i < connections; i++) {
            int loop = i;
            vertx.runOnContext(v -> next(loop, streamsOnce || loop % 2 == 0));
        }
        return this;
    }

    private void next(int loop, boolean stream) {
        if (!running.get()) {
            loopsLeft.decrementAndGet();
            return;
        }
        inFlight.incrementAndGet();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(RelayBenchmark.GATEWAY_PATH).setTimeout(60_000);
        headers.forEach(options::putHeader);
        client.request(options)
                .compose(request -> request.send(Buffer.buffer(RelayBenchmark.requestBody(stream))))
                .compose(response -> response.body().map(body -> outcome(response.statusCode(), body, stream)))
                .otherwise(e -> NO_ANSWER)
                .onComplete(done -> {
                    inFlight.decrementAndGet();
                    outcomes.computeIfAbsent(done.result(), k -> new LongAdder()).increment();
                    String outcome = done.result();
                    if (streamsOnce) {
                        loopsLeft.decrementAndGet();
                    } else if (NO_ANSWER.equals(outcome)) {
                        // the gateway is away (restart): do not spin on refused connections
                        vertx.setTimer(50, id -> next(loop, !stream));
                    } else {
                        next(loop, !stream);
                    }
                });
    }

    private String outcome(int status, Buffer body, boolean stream) {
        if (status != 200) {
            return String.valueOf(status);
        }
        String text = body.toString();
        if (text.contains("\"usage\"")) {
            billed.increment();
        }
        if (stream && (text.contains("event: error") || !text.contains("message_stop"))) {
            return CUT;
        }
        return "200";
    }

    /** Stops sending; waits until every loop has its last answer. */
    void stop() throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (loopsLeft.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Outcome → count, sorted. */
    Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    long count(String outcome) {
        LongAdder n = outcomes.get(outcome);
        return n == null ? 0 : n.sum();
    }

    long total() {
        return outcomes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** 200 answers whose body carried usage: what the gateway must have billed. */
    long billed() {
        return billed.sum();
    }

    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        Future<Void> closed = vertx.close();
        closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
