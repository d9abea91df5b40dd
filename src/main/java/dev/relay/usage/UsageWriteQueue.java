package dev.relay.usage;

import dev.relay.store.RedisStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Request;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit for usage writes: at most one pipeline is in flight; requests finishing meanwhile are merged into
 * the next one (summed counters), up to {@link #MAX_EVENTS} per pipeline. At low load every request is written
 * at once, alone; what a crash can lose is what waits for the pipeline in flight (one round trip's worth).
 */
final class UsageWriteQueue {
    static final int MAX_EVENTS = 512;

    private final RedisStore redis;
    private final Function<UsageWrites, List<Request>> render;
    private final Deque<Batch> queued = new ArrayDeque<>();
    private boolean writing;

    private record Batch(UsageWrites writes, List<Promise<Void>> waiting) {
    }

    UsageWriteQueue(RedisStore redis, Function<UsageWrites, List<Request>> render) {
        this.redis = redis;
        this.render = render;
    }

    Future<Void> submit(UsageWrites writes) {
        Promise<Void> done = Promise.promise();
        boolean start;
        synchronized (this) {
            Batch last = queued.peekLast();
            if (last == null || last.writes().events() >= MAX_EVENTS) {
                List<Promise<Void>> waiting = new ArrayList<>();
                waiting.add(done);
                queued.addLast(new Batch(writes, waiting));
            } else {
                last.writes().mergeFrom(writes);
                last.waiting().add(done);
            }
            start = !writing;
            writing = true;
        }
        if (start) {
            writeNext();
        }
        return done.future();
    }

    private void writeNext() {
        Batch batch;
        synchronized (this) {
            batch = queued.pollFirst();
            if (batch == null) {
                writing = false;
                return;
            }
        }
        Future<?> written;
        try {
            written = redis.batch(render.apply(batch.writes()));
        } catch (RuntimeException e) {
            written = Future.failedFuture(e);
        }
        written.onComplete(ar -> {
            for (Promise<Void> p : batch.waiting()) {
                if (ar.succeeded()) {
                    p.tryComplete();
                } else {
                    p.tryFail(ar.cause());
                }
            }
            writeNext();
        });
    }
}
