package dev.relay.gateway;

import static dev.relay.testsupport.GatewayClient.AS_RECORDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.GatewayClient.Answer;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The router's edge with the legacy as it is deployed ({@code ENABLE_CORS=true}, relay's default), replayed from
 * fixture 24-static-and-cors: the catch-all 404 of a path nobody serves, CORS preflights on any path, and the
 * CORS and security headers of an ordinary answer. Each answer must be the legacy's, header for header
 * ({@link LegacyAnswer} lists what is not compared and why).
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
class RouterEdgeTest {
    static final String FIXTURE = "24-static-and-cors";
    static final String CAPTURE = "http-no-spa-build.json";

    @TestHTTPResource("/")
    URL gatewayUrl;

    GatewayClient gateway() {
        return new GatewayClient(gatewayUrl.toString());
    }

    Answer replay(String label) {
        return gateway().replay(LegacyAnswer.exchange(FIXTURE, CAPTURE, label), AS_RECORDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-route", "favicon"})
    void aPathNobodyServesGetsTheLegacyCatchAll(String label) {
        LegacyAnswer.assertSame(LegacyAnswer.exchange(FIXTURE, CAPTURE, label), replay(label));
    }

    /**
     * Deliberately not the legacy's 404 (redis-compat.md 38): an admin path nobody serves tells nothing to a caller
     * without a session ({@code admin.AdminRoutesClosedTest} shows the 404 with one).
     */
    @ParameterizedTest
    @ValueSource(strings = {"admin-root", "admin-root-json", "admin-unknown-route-no-token", "admin-unknown-route-token"})
    void anAdminPathNobodyServesIsClosedWithoutASession(String label) {
        Answer answer = replay(label);
        assertEquals(401, answer.status(), label);
    }

    @ParameterizedTest
    @ValueSource(strings = {"preflight-admin-dashboard", "preflight-admin-api-keys-put", "preflight-web-login",
            "preflight-api-messages", "preflight-api-messages-localhost", "preflight-apiStats", "preflight-no-origin"})
    void everyOptionsRequestIsAPreflightAnswered204(String label) {
        LegacyAnswer.assertSame(LegacyAnswer.exchange(FIXTURE, CAPTURE, label), replay(label));
    }

    @Test
    void aForeignOriginIsServedAsAnyOtherWithAllowOriginStar() {
        LegacyAnswer.assertSame(LegacyAnswer.exchange(FIXTURE, CAPTURE, "cors-messages-foreign-origin-no-key"),
                replay("cors-messages-foreign-origin-no-key"));
    }

    @Test
    void theLegacyHealthRouteCarriesTheLegacyHeaders() {
        LegacyAnswer.assertSame(LegacyAnswer.exchange(FIXTURE, CAPTURE, "api-health"), replay("api-health"));
    }

    /** The legacy serves only POST there, so its catch-all answers every other method (relay.md §1.1). */
    @Test
    void theMessagesPathWithAnotherMethodIsNotFoundWithTheUrlAsSent() {
        Answer get = gateway().send("GET", "/api/v1/messages?beta=true", List.of(), null);

        assertNotFound(get, "/api/v1/messages?beta=true");
        assertNotFound(gateway().send("DELETE", "/claude/v1/messages/count_tokens", List.of(), null),
                "/claude/v1/messages/count_tokens");
    }

    /** Routes the legacy serves and relay does not yet: OpenAI SDKs get JSON they can parse, not an HTML page. */
    @Test
    void openAiRoutesNotServedYetAnswerJson() {
        List<String[]> openAi = List.<String[]>of(new String[] {"Content-Type", "application/json"},
                new String[] {"Authorization", "Bearer cr_not-checked-on-a-missing-route"},
                new String[] {"Accept", "application/json"});
        String chat = "{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        assertNotFound(gateway().send("POST", "/openai/v1/chat/completions", openAi, chat), "/openai/v1/chat/completions");
        assertNotFound(gateway().send("POST", "/openai/responses", openAi, "{\"model\":\"gpt-5\",\"input\":\"hi\"}"),
                "/openai/responses");
        assertNotFound(gateway().send("GET", "/openai/claude/v1/models", openAi, null), "/openai/claude/v1/models");
    }

    /**
     * The legacy's security middleware adds COOP and Origin-Agent-Cluster only for a local Host or HTTPS (the fixture
     * was captured on 127.0.0.1); helmet's CORP is always there.
     */
    @Test
    void openerPolicyOnlyForALocalHostOrHttps() throws java.io.IOException {
        RawHttp.Answer remote = rawGet("Host: relay.example.com");
        assertEquals(404, remote.status());
        assertEquals(null, remote.header("Cross-Origin-Opener-Policy"));
        assertEquals(null, remote.header("Origin-Agent-Cluster"));
        assertEquals("same-origin", remote.header("Cross-Origin-Resource-Policy"));

        RawHttp.Answer proxied = rawGet("Host: relay.example.com", "X-Forwarded-Proto: https");
        assertEquals("same-origin", proxied.header("Cross-Origin-Opener-Policy"));
        assertEquals("?1", proxied.header("Origin-Agent-Cluster"));

        RawHttp.Answer plainBehindProxy = rawGet("Host: relay.example.com", "X-Forwarded-Proto: http, https");
        assertEquals(null, plainBehindProxy.header("Cross-Origin-Opener-Policy"));

        RawHttp.Answer local = rawGet("Host: 127.0.0.1:3000");
        assertEquals("same-origin", local.header("Cross-Origin-Opener-Policy"));
        assertEquals("?1", local.header("Origin-Agent-Cluster"));
    }

    private RawHttp.Answer rawGet(String... headerLines) throws java.io.IOException {
        try (RawHttp http = new RawHttp(gatewayUrl)) {
            return http.head("GET /no/such/route HTTP/1.1", headerLines).read();
        }
    }

    @Test
    void headOfAPathNobodyServesIs404WithoutABody() {
        Answer head = gateway().send("HEAD", "/no/such/route", List.of(), null);

        assertEquals(404, head.status());
        assertEquals("", head.body());
        assertEquals("application/json; charset=utf-8", head.header("Content-Type"));
        assertEquals("*", head.header("Access-Control-Allow-Origin"));
    }

    /** Quarkus' own endpoints are served as before, with the legacy's headers like every answer. */
    @Test
    void quarkusEndpointsStillAnswer() {
        Answer ready = gateway().send("GET", "/q/health/ready", List.of(), null);
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", ready.json().path("status").asText());
        assertEquals("*", ready.header("Access-Control-Allow-Origin"));

        Answer metrics = gateway().send("GET", "/q/metrics", List.of(), null);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("# TYPE"), "Prometheus text expected");
    }

    private static void assertNotFound(Answer answer, String url) {
        assertEquals(404, answer.status(), answer.body());
        assertEquals("application/json; charset=utf-8", answer.header("Content-Type"));
        JsonNode json = answer.json();
        assertEquals("Not Found", json.path("error").asText(), answer.body());
        assertEquals("Route " + url + " not found", json.path("message").asText(), answer.body());
        assertTrue(LegacyAnswer.ISO.matcher(json.path("timestamp").asText()).matches(), answer.body());
        assertEquals(List.of("error", "message", "timestamp"), fieldNames(json));
        assertEquals("nosniff", answer.header("X-Content-Type-Options"));
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
