package dev.relay.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP load generator. Closed loop (the default): each connection sends its next request as soon as the previous
 * answer has been read completely. Open loop ({@link LoadSpec#ratePerSecond()} &gt; 0): requests start on a fixed
 * schedule (1 ms ticks), and latency counts from the tick that sends a request. Runs on its own Vert.x with {@code eventLoops} loops; every loop owns a client and a share
 * of the connections, so samples are recorded without locks.
 */
final class LoadGenerator implements AutoCloseable {
    /** A single request may take this long (without data) before it counts as an error, unless the spec says. */
    static final long REQUEST_TIMEOUT_MS = 30_000;
    /** After the measured window, outstanding requests get this long to finish (at the default timeout). */
    static final long DRAIN_LIMIT_MS = drainLimitMs(REQUEST_TIMEOUT_MS);

    static long drainLimitMs(long requestTimeoutMs) {
        return requestTimeoutMs + 5_000;
    }

    private final Vertx vertx;
    private final int eventLoops;

    LoadGenerator(int eventLoops) {
        this.eventLoops = Math.max(1, eventLoops);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(this.eventLoops));
    }

    /** A phase that has been started; {@link #measureStartNanos} tells when the measured window opens. */
    final class Run {
        private final LoadSpec spec;
        private final long measureStart;
        private final long measureEnd;
        private final CountDownLatch done;
        private final List<Worker> workers = new ArrayList<>();
        private final List<String> deployments = new ArrayList<>();

        private Run(LoadSpec spec) throws Exception {
            this.spec = spec;
            long now = System.nanoTime();
            this.measureStart = now + spec.warmup().toNanos();
            this.measureEnd = measureStart + spec.duration().toNanos();
            this.done = new CountDownLatch(spec.connections());
            int loops = Math.min(eventLoops, spec.connections());
            for (int i = 0; i < loops; i++) {
                int share = spec.connections() / loops + (i < spec.connections() % loops ? 1 : 0);
                double rate = spec.ratePerSecond() / (double) loops;
                Worker worker = new Worker(spec, share, rate, now, measureStart, measureEnd, done);
                workers.add(worker);
                deployments.add(vertx.deployVerticle(worker, new DeploymentOptions())
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            }
        }

        long measureStartNanos() {
            return measureStart;
        }

        /** Waits for the phase to end (bounded) and merges the workers' samples. */
        LoadResult await() throws Exception {
            long limit = Math.max(0, measureEnd - System.nanoTime()) + TimeUnit.MILLISECONDS.toNanos(drainLimitMs(spec.requestTimeoutMs()));
            boolean finished = done.await(limit, TimeUnit.NANOSECONDS);
            for (String id : deployments) {
                try {
                    vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // the client is closed with the verticle; a slow undeploy does not change the numbers
                }
            }
            LatencySamples all = new LatencySamples();
            long errors = 0;
            String firstError = null;
            for (Worker w : workers) {
                synchronized (w) {
                    all.addAll(w.samples);
                    errors += w.errors;
                    if (firstError == null) {
                        firstError = w.firstError;
                    }
                }
            }
            double seconds = spec.duration().toNanos() / 1e9;
            return new LoadResult(spec.name(), spec.connections(), all.size(), errors, seconds, all.percentile(50),
                    all.percentile(99), all.mean(), all.max(), firstError, finished);
        }
    }

    Run start(LoadSpec spec) throws Exception {
        return new Run(spec);
    }

    LoadResult run(LoadSpec spec) throws Exception {
        return start(spec).await();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // nothing left to release
        }
    }

    /** One event loop's share of the connections; all its state is touched on that loop only. */
    private static final class Worker extends AbstractVerticle {
        private final LoadSpec spec;
        private final int connections;
        /** Requests per second of this worker in an open loop, 0 in a closed loop. */
        private final double rate;
        private final long scheduleStart;
        private long scheduled;
        private long outstanding;
        private boolean scheduleDone;
        private final long measureStart;
        private final long measureEnd;
        private final CountDownLatch done;
        private final Buffer body;
        private final LatencySamples samples = new LatencySamples();
        private long errors;
        private String firstError;
        private HttpClient client;
        private RequestOptions request;

        Worker(LoadSpec spec, int connections, double rate, long scheduleStart, long measureStart, long measureEnd,
                CountDownLatch done) {
            this.spec = spec;
            this.connections = connections;
            this.rate = rate;
            this.scheduleStart = scheduleStart;
            this.measureStart = measureStart;
            this.measureEnd = measureEnd;
            this.done = done;
            this.body = Buffer.buffer(spec.body());
        }

        @Override
        public void start() {
            client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                            .setPipelining(false).setDefaultHost(spec.host()).setDefaultPort(spec.port())
                            .setKeepAliveTimeout(0).setTryUseCompression(false),
                    new PoolOptions().setHttp1MaxSize(connections)
                            .setMaxWaitQueueSize(rate > 0 ? 1_000_000 : connections));
            request = new RequestOptions().setMethod(HttpMethod.POST).setURI(spec.uri())
                    .setIdleTimeout(spec.requestTimeoutMs());
            for (Map.Entry<String, String> h : spec.headers().entrySet()) {
                request.putHeader(h.getKey(), h.getValue());
            }
            request.putHeader("Content-Length", String.valueOf(body.length()));
            if (rate > 0) {
                vertx.setPeriodic(1, id -> {
                    if (!tick()) {
                        vertx.cancelTimer(id);
                    }
                });
                return;
            }
            for (int i = 0; i < connections; i++) {
                next();
            }
        }

        /** Open loop: starts every request whose scheduled time has come; false once the schedule is over. */
        private boolean tick() {
            long now = System.nanoTime();
            while (true) {
                long at = scheduleStart + (long) (scheduled * 1e9 / rate);
                if (at >= measureEnd) {
                    scheduleDone = true;
                    finishOpenLoop();
                    return false;
                }
                if (at > now) {
                    return true;
                }
                scheduled++;
                outstanding++;
                // latency counts from the 1 ms tick that sends it, not from the exact slot inside the millisecond
                // (that would add up to 1 ms of the generator's own timer to every sample); the schedule still
                // does not wait for answers, so queueing in the pool or the server is counted
                // counted by its slot, not by when a starved timer got to send it: the window holds exactly the
                // slots scheduled inside it
                send(now, at >= measureStart, () -> {
                    outstanding--;
                    finishOpenLoop();
                });
            }
        }

        private void finishOpenLoop() {
            if (scheduleDone && outstanding == 0) {
                for (int i = 0; i < connections; i++) {
                    done.countDown();
                }
            }
        }

        private void next() {
            long started = System.nanoTime();
            if (started >= measureEnd) {
                done.countDown();
                return;
            }
            send(started, started >= measureStart, this::next);
        }

            /**
         * One request; its latency counts from {@code started}; {@code measured}: it falls in the measured window;
         * {@code then} runs when it has ended.
         */
        private void send(long started, boolean measured, Runnable then) {
            client.request(request)
                    .compose(req -> req.send(body))
                    .compose(resp -> resp.body().map(b -> check(resp.statusCode(), b)))
                    .onComplete(ar -> {
                        long ended = System.nanoTime();
                        if (measured) {
                            String failure = ar.succeeded() ? ar.result() : "exception: " + ar.cause();
                            synchronized (this) {
                                if (failure == null) {
                                    samples.add(ended - started);
                                } else {
                                    errors++;
                                    if (firstError == null) {
                                        firstError = failure;
                                    }
                                }
                            }
                        }
                        then.run();
                    });
        }

        /** Null when the answer is what a client expects, else a short description. */
        private String check(int status, Buffer answer) {
            if (status != 200) {
                return "status " + status + ": " + snippet(answer);
            }
            if (spec.stream()) {
                // message_stop is the last event: look at the tail only
                String tail = answer.getString(Math.max(0, answer.length() - 80), answer.length());
                return tail.contains("event: message_stop") ? null : "stream without message_stop: " + snippet(answer);
            }
            return null;
        }

        private static String snippet(Buffer b) {
            String s = b.toString();
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }
}
