package dev.relay.testsupport;

import io.vertx.redis.client.Redis;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a Redis client and counts round trips: every {@code send} and every {@code batch} is one. */
public final class CountingRedis {
    private CountingRedis() {
    }

    public static Redis counting(Redis delegate, AtomicInteger roundTrips) {
        return (Redis) Proxy.newProxyInstance(Redis.class.getClassLoader(), new Class<?>[] {Redis.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("send") || method.getName().equals("batch")) {
                        roundTrips.incrementAndGet();
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
