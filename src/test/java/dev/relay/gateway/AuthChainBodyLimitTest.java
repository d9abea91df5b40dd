package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.GatewayClient.Answer;
import dev.relay.testsupport.RedisKeyspace;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld;
import dev.relay.testsupport.RelayWorld.SeededKey;
import dev.relay.testsupport.TestRedis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A body over {@code relay.max-body-mb} is refused before anything else happens, in Anthropic's error format (the
 * legacy answers with its own 413 shapes, relay.md §2; Claude Code understands Anthropic's).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
@TestProfile(AuthChainBodyLimitTest.OneMegabyte.class)
class AuthChainBodyLimitTest extends RelayTestBase {

    public static class OneMegabyte implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.max-body-mb", "1");
        }
    }

    @TestHTTPResource("/")
    URL gatewayUrl;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.limits.max-body-size")
    io.quarkus.runtime.configuration.MemorySize quarkusMaxBody;

    Answer postChunked(String apiKey, String body) {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(gatewayUrl + "api/v1/messages"))
                .header("Content-Type", "application/json").header("x-api-key", apiKey)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build();
        try {
            var response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .build().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("chunked upload failed: " + e, e);
        }
    }

    /** Header names but {@code Connection}: an announced body is refused from its head and its connection closed. */
    static java.util.Set<String> headerNames(Answer answer) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        answer.headers().keySet().forEach(n -> names.add(n.toLowerCase(java.util.Locale.ROOT)));
        names.remove("connection");
        return names;
    }

    @Test
    void quarkusOwnLimitFollowsRelays() {
        // Quarkus refuses larger chunked bodies on its own endpoints (no JSON there): never below relay's limit
        assertEquals(1024L * 1024, quarkusMaxBody.asLongValue());
    }

    @Test
    void bodyOverTheLimitIsRefusedWith413() {
        redis.flush();
        RelayWorld world = new RelayWorld(redis);
        SeededKey key = world.key(Map.of("concurrencyLimit", "2"));
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        TestRedis.await(pool.reload());
        RedisKeyspace keyspace = new RedisKeyspace(redis);
        Map<String, String> before = keyspace.settled();
        String big = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + "x".repeat(1024 * 1024 + 1) + "\"}]}";

        Answer answer = new GatewayClient(gatewayUrl.toString()).postJson("/api/v1/messages", key.raw(), big);

        assertEquals(413, answer.status(), answer.body());
        JsonNode json = answer.json();
        assertEquals("error", json.path("type").asText(), answer.body());
        assertEquals("request_too_large", json.path("error").path("type").asText(), answer.body());
        assertTrue(json.path("error").path("message").asText().contains("1MB"), answer.body());
        assertEquals(0, upstream.requestCount(), "a refused request reached the upstream");
        assertEquals(before, keyspace.settled(), "a refused request changed Redis");
        assertEquals(0L, redis.call("EXISTS", "usage:" + key.id()).toLong());
        assertEquals(0L, redis.call("ZCARD", "concurrency:" + key.id()).toLong());

        // the same without a Content-Length (chunked upload): refused once the limit is crossed
        Answer chunked = postChunked(key.raw(), big);
        assertEquals(413, chunked.status(), chunked.body());
        assertEquals(json, chunked.json());
        assertEquals(headerNames(answer), headerNames(chunked), "both refusals carry the same headers");
        assertEquals("DENY", answer.header("X-Frame-Options"));
        assertEquals("no-cache, no-store, must-revalidate", answer.header("Cache-Control"));
        assertEquals(0, upstream.requestCount(), "a refused request reached the upstream");
        assertEquals(before, keyspace.settled(), "a refused request changed Redis");

        // a body just under the limit still goes through
        String fits = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + "x".repeat(1000 * 1000) + "\"}]}";
        Answer ok = new GatewayClient(gatewayUrl.toString()).postJson("/api/v1/messages", key.raw(), fits);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(1, upstream.requestCount());
    }
}
