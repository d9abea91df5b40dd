package dev.relay.gateway;

import static io.restassured.RestAssured.given;

import dev.relay.fake.FakeAnthropic;
import dev.relay.testsupport.RelayWorld;
import dev.relay.testsupport.TestRedis;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.function.Supplier;

/**
 * What the flow tests share: the gateway's address, posting a Messages body with a key, and waiting for the
 * asynchronous Redis writes (usage, marks) to land.
 */
final class RelayFlow {
    static final String MODEL = "claude-sonnet-4-20250514";

    private RelayFlow() {
    }

    static String gateway() {
        return "http://localhost:" + RestAssured.port;
    }

    static Response post(String path, String rawKey, String body) {
        return given().header("x-api-key", rawKey).contentType("application/json").body(body).when().post(path);
    }

    /** A Messages body; {@code userId} null for none. */
    static String body(boolean stream, String text, String userId) {
        String metadata = userId == null ? "" : ",\"metadata\":{\"user_id\":" + quote(userId) + "}";
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":"
                + quote(text) + "}]" + metadata + ",\"stream\":" + stream + "}";
    }

    static String quote(String s) {
        return io.vertx.core.json.Json.encode(s);
    }

    /** The first value the supplier gives that is not null, polling for up to 5 s; null if none came. */
    static <T> T eventually(Supplier<T> probe) {
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            T value = probe.get();
            if (value != null || System.currentTimeMillis() > deadline) {
                return value;
            }
            sleep(20);
        }
    }

    static String field(TestRedis redis, String key, String field) {
        return eventually(() -> {
            var value = redis.call("HGET", key, field);
            return value == null ? null : value.toString();
        });
    }

    static String string(TestRedis redis, String key) {
        var value = redis.call("GET", key);
        return value == null ? null : value.toString();
    }

    static long ttl(TestRedis redis, String key) {
        return redis.call("TTL", key).toLong();
    }

    /** Which seeded account served the upstream request number {@code index}. */
    static String servedBy(FakeAnthropic upstream, int index) {
        return upstream.requests().get(index).header("x-api-key");
    }

    static String keyOf(String accountId) {
        return RelayWorld.upstreamKeyOf(accountId);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
