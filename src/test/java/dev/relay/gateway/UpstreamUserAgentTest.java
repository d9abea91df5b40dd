package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.LegacyFixtures;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wire fact (fixture 04, relay.md §5.3): a Console upstream receives the client's {@code User-Agent}, even when the
 * account stores a UA of its own; the stored UA is sent only for a client that sent none.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class UpstreamUserAgentTest extends RelayTestBase {
    static final JsonNode EXCHANGE = LegacyFixtures.load("04-relay-nonstream", "http.json").get(0);
    /** The fixture's console account stores this UA (fixture 02, {@code claude_console_account:d09be248-…}). */
    static final String ACCOUNT_UA = LegacyFixtures.hash(LegacyFixtures.added(
            LegacyFixtures.load("02-accounts", "redis-claude-console.json"),
            "claude_console_account:d09be248-12ea-4668-bc07-7acdf40463d6")).get("userAgent");

    @TestHTTPResource("/")
    URL gatewayUrl;

    static String header(JsonNode headers, String name) {
        for (JsonNode h : headers) {
            if (h.get(0).asText().equalsIgnoreCase(name)) {
                return h.get(1).asText();
            }
        }
        throw new AssertionError("no " + name + " in " + headers);
    }

    @Test
    void theUpstreamGetsTheClientsUserAgentAsInFixture04() {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of("userAgent", ACCOUNT_UA));
        reloadAccounts();

        var answer = new GatewayClient(gatewayUrl.toString()).replay(EXCHANGE, key.raw());

        assertEquals(200, answer.status(), answer.body());
        String clientUa = header(EXCHANGE.get("request").get("headers"), "user-agent");
        String legacySent = header(EXCHANGE.get("upstream").get(0).get("headers"), "user-agent");
        assertEquals(clientUa, legacySent, "the fixture itself: the legacy passed the client's UA on");
        assertNotEquals(ACCOUNT_UA, clientUa, "the fixture's account UA differs from the client's");
        assertEquals(legacySent, upstream.lastRequest().header("user-agent"));
    }

    @Test
    void aClientWithoutUserAgentGetsTheAccountsStoredOne() throws Exception {
        var key = world.key(Map.of());
        world.consoleAccount(upstream.baseUrl(), 10, Map.of("userAgent", ACCOUNT_UA));
        reloadAccounts();

        // raw HTTP: every client library adds a User-Agent of its own
        byte[] payload = RelayFlow.body(false, "no ua", null).getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nx-api-key: "
                + key.raw() + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        }

        assertEquals(ACCOUNT_UA, upstream.lastRequest().header("user-agent"));
    }
}
