package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.GatewayClient.Answer;
import dev.relay.testsupport.RedisKeyspace;
import dev.relay.testsupport.RelayTestResource;
import dev.relay.testsupport.RelayWorld.SeededKey;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bodies near and over relay's limit ({@code relay.max-body-mb}, 60 MB by default). Jackson's default read limits
 * refuse a string over 20,000,000 characters, which a body under the limit can carry (a base64 document); a body
 * announced over the limit is refused from its headers with the same JSON error and headers as one that crosses
 * the limit while it streams in (AuthChainBodyLimitTest).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class LargeBodyTest extends RelayTestBase {
    static final long LIMIT = 60L * 1024 * 1024;
    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL gatewayUrl;

    @Test
    void aStringOverJacksonsDefaultLimitIsRelayedWhole() {
        SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        String text = "x".repeat(20_000_001);
        String body = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + text + "\"}]}";

        Answer answer = new GatewayClient(gatewayUrl.toString()).postJson("/api/v1/messages", key.raw(), body);

        assertEquals(200, answer.status(), answer.body().length() > 500 ? answer.body().substring(0, 500) : answer.body());
        assertEquals(1, upstream.requestCount());
        assertTrue(upstream.lastRequest().body().contains("\"content\":\"" + text + "\"}"), "the string was cut");
    }

    @Test
    void aMessagesBodyAnnouncedOverTheLimitIsRefusedInAnthropicsFormat() throws IOException {
        SeededKey key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of());
        reloadAccounts();
        Map<String, String> before = new RedisKeyspace(redis).settled();

        RawHttp.Answer answer = announce("/api/v1/messages?beta=true", key.raw(), LIMIT + 1);

        assertEquals(413, answer.status(), answer.body());
        JsonNode json = JSON.readTree(answer.body());
        assertEquals("error", json.path("type").asText(), answer.body());
        assertEquals("request_too_large", json.path("error").path("type").asText(), answer.body());
        assertEquals("Request body size exceeds limit (60MB)", json.path("error").path("message").asText());
        assertCommonHeaders(answer);
        assertEquals(0, upstream.requestCount(), "a refused request reached the upstream");
        assertEquals(before, new RedisKeyspace(redis).settled(), "a refused request changed Redis");
    }

    @Test
    void aBodyAnnouncedOverTheLimitElsewhereGetsTheLegacyGatesShapeWithTheRealLimit() throws IOException {
        RawHttp.Answer answer = announce("/openai/v1/chat/completions", "cr_whatever-key-0123456789", LIMIT + 1);

        assertEquals(413, answer.status(), answer.body());
        assertEquals("{\"error\":\"Payload Too Large\",\"message\":\"Request body size exceeds limit\",\"limit\":\"60MB\"}",
                answer.body());
        assertCommonHeaders(answer);
    }

    @Test
    void aBodyOfExactlyTheLimitIsReadAndParsed() throws IOException {
        try (RawHttp http = new RawHttp(gatewayUrl)) {
            http.head("POST /api/v1/messages HTTP/1.1", "Host: localhost", "Content-Type: application/json",
                    "Content-Length: " + LIMIT);
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            for (long sent = 0; sent < LIMIT; sent += chunk.length) {
                http.out().write(chunk, 0, (int) Math.min(chunk.length, LIMIT - sent));
            }
            http.out().flush();
            RawHttp.Answer answer = http.read();

            // read to its end and parsed: not JSON, so the parser's 400, not the gate's 413
            assertEquals(400, answer.status(), answer.body());
            assertEquals("Request body is not valid JSON",
                    JSON.readTree(answer.body()).path("error").path("message").asText(), answer.body());
        }
    }

    private static void assertCommonHeaders(RawHttp.Answer answer) {
        assertEquals("application/json; charset=utf-8", answer.header("content-type"));
        assertEquals("close", answer.header("connection"));
        assertNotNull(answer.header("x-request-id"));
        assertEquals("DENY", answer.header("x-frame-options"));
        assertEquals("nosniff", answer.header("x-content-type-options"));
        assertEquals("no-cache, no-store, must-revalidate", answer.header("cache-control"));
        assertEquals("*", answer.header("access-control-allow-origin"));
        assertEquals(String.valueOf(answer.body().getBytes(StandardCharsets.UTF_8).length),
                answer.header("content-length"));
    }

    /** Sends only the head of a request announcing {@code length} bytes, and reads the answer. */
    private RawHttp.Answer announce(String path, String apiKey, long length) throws IOException {
        try (RawHttp http = new RawHttp(gatewayUrl)) {
            return http.head("POST " + path + " HTTP/1.1", "Host: localhost", "Content-Type: application/json",
                    "x-api-key: " + apiKey, "Content-Length: " + length).read();
        }
    }
}
