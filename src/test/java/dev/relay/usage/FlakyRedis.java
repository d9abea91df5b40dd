package dev.relay.usage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Redis client a test can break: down (every call fails before reaching Redis), losing replies (the next
 * pipelines run on the real Redis, then report a broken connection: the ambiguous outcome) or holding (pipelines
 * wait, unsent, until the test lets them through or fails them). Records the pipelines that reached Redis.
 */
final class FlakyRedis {
    final Redis client;
    final List<List<Request>> pipelines = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger sends = new AtomicInteger();
    final AtomicInteger loseReplies = new AtomicInteger();
    volatile boolean down;
    volatile boolean holding;
    private final Redis real;
    private final List<Runnable> releases = new ArrayList<>();
    private final List<Promise<List<Response>>> held = new ArrayList<>();

    FlakyRedis(Redis real) {
        this.real = real;
        this.client = (Redis) Proxy.newProxyInstance(Redis.class.getClassLoader(), new Class<?>[] {Redis.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "batch" -> batch(castRequests(args[0]));
                    case "send" -> send((Request) args[0]);
                    default -> invoke(method, args);
                });
    }

    /** Lets the held pipelines reach Redis. */
    synchronized void release() {
        holding = false;
        releases.forEach(Runnable::run);
        releases.clear();
        held.clear();
    }

    /** Fails the held pipelines without sending them (the connection died before they left). */
    synchronized void failHeld() {
        holding = false;
        held.forEach(p -> p.tryFail(new IOException("connection closed (test)")));
        releases.clear();
        held.clear();
    }

    synchronized int heldCount() {
        return held.size();
    }

    private Future<List<Response>> batch(List<Request> requests) {
        if (down) {
            return Future.failedFuture(new ConnectException("Connection refused (test)"));
        }
        synchronized (this) {
            if (holding) {
                Promise<List<Response>> promise = Promise.promise();
                held.add(promise);
                releases.add(() -> reach(requests).onComplete(promise));
                return promise.future();
            }
        }
        if (loseReplies.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return reach(requests).transform(ar -> Future.failedFuture(
                    new IOException("connection reset after the pipeline was sent (test)")));
        }
        return reach(requests);
    }

    private Future<List<Response>> reach(List<Request> requests) {
        pipelines.add(requests);
        return real.batch(requests);
    }

    private Future<Response> send(Request request) {
        if (down) {
            return Future.failedFuture(new ConnectException("Connection refused (test)"));
        }
        sends.incrementAndGet();
        return real.send(request);
    }

    private Object invoke(java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Request> castRequests(Object arg) {
        return (List<Request>) arg;
    }
}
