package dev.relay.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.LongAdder;

/**
 * Our handle on Redis. {@link #send} is one round trip; {@link #batch} pipelines several commands in one round
 * trip (not atomic: use a Lua script where atomicity matters). A command that gets no answer because Redis cannot
 * be reached fails with {@link RedisUnavailable}; every outcome feeds {@link #availability()}.
 */
public final class RedisStore {
    private final Redis redis;
    private final RedisAPI api;
    private static final List<String> NOT_NOW = List.of("CONNECTION_CLOSED", "LOADING", "BUSY", "MASTERDOWN",
            "TRYAGAIN");
    private static final Pattern JAVA_EXCEPTION = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z0-9_$]+)+(:|$)");
    private final LongAdder pending = new LongAdder();
    private final RedisAvailability availability;

    public RedisStore(Redis redis) {
        this(redis, new RedisAvailability());
    }

    public RedisStore(Redis redis, RedisAvailability availability) {
        this.redis = redis;
        this.api = RedisAPI.api(redis);
        this.availability = availability;
    }

    public RedisAvailability availability() {
        return availability;
    }

    public Future<Response> send(Request request) {
        return counted(redis.send(request));
    }

    public Future<List<Response>> batch(List<Request> requests) {
        return counted(redis.batch(requests));
    }

    /** Sends and batches without a reply yet: waiting for a pooled connection or for Redis. */
    public long pendingRequests() {
        return pending.sum();
    }

    private <T> Future<T> counted(Future<T> reply) {
        long sentAt = System.nanoTime();
        pending.increment();
        return reply.transform(done -> {
            pending.decrement();
            if (done.succeeded()) {
                availability.answered(sentAt);
                return Future.succeededFuture(done.result());
            }
            Throwable failure = done.cause();
            if (!unreachable(failure)) {
                availability.answered(sentAt);
                return Future.failedFuture(failure);
            }
            availability.failed(sentAt, failure);
            return Future.failedFuture(new RedisUnavailable(failure));
        });
    }

    /**
     * True when Redis did not run the command: no answer (unreachable, connection lost: anything but an error reply,
     * and the client's own {@code CONNECTION_CLOSED} error for the commands of a connection that closed), or an
     * error reply that means "not now" ({@code LOADING} while a restarted Redis reads its data, {@code BUSY},
     * {@code MASTERDOWN}, {@code TRYAGAIN}).
     */
    static boolean unreachable(Throwable failure) {
        if (!(failure instanceof ErrorType error)) {
            return true;
        }
        // a pipeline's failure is one "ERR [<index>] <failure>" line per failed command, where a command that got no
        // answer shows the exception's text (e.g. "io.netty…NativeIoException: … Connection reset by peer")
        for (String line : String.valueOf(error.getMessage()).split("\\R")) {
            int close = line.indexOf("] ");
            String message = line.startsWith("ERR [") && close > 0 ? line.substring(close + 2) : line;
            if (JAVA_EXCEPTION.matcher(message).lookingAt()) {
                return true;
            }
            for (String notNow : NOT_NOW) {
                if (message.startsWith(notNow)) {
                    return true;
                }
            }
        }
        return false;
    }

    public RedisAPI api() {
        return api;
    }

    void close() {
        redis.close();
    }
}
