package dev.relay.gateway;

import static dev.relay.testsupport.GatewayClient.AS_RECORDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.relay.testsupport.GatewayClient;
import dev.relay.testsupport.RelayTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The router's edge with {@code ENABLE_CORS} other than {@code true}: the legacy's own CORS middleware, replayed
 * from fixture 24-static-and-cors (capture {@code http-spa-build-cors-off.json}). A foreign origin gets no
 * {@code Access-Control-Allow-Origin} but the other CORS headers, a local one is echoed, none gives {@code *};
 * requests are served all the same.
 */
@QuarkusTest
@QuarkusTestResource(RelayTestResource.class)
@TestProfile(RouterEdgeLocalCorsTest.CorsOff.class)
class RouterEdgeLocalCorsTest {
    static final String CAPTURE = "http-spa-build-cors-off.json";

    public static class CorsOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("relay.enable-cors", "false");
        }
    }

    @TestHTTPResource("/")
    URL gatewayUrl;

    @ParameterizedTest
    @ValueSource(strings = {"preflight-admin-dashboard", "preflight-admin-api-keys-put", "preflight-web-login",
            "preflight-api-messages", "preflight-api-messages-localhost", "preflight-apiStats", "preflight-no-origin",
            "cors-messages-foreign-origin-no-key", "unknown-route", "favicon",
            "api-health"})
    void answersAsTheLegacyCorsMiddleware(String label) {
        var exchange = LegacyAnswer.exchange(RouterEdgeTest.FIXTURE, CAPTURE, label);
        LegacyAnswer.assertSame(exchange, new GatewayClient(gatewayUrl.toString()).replay(exchange, AS_RECORDED));
    }

    /** The legacy's middleware echoes a browser extension's origin too (relay.md §2). */
    @Test
    void aChromeExtensionOriginIsEchoed() {
        var answer = new GatewayClient(gatewayUrl.toString()).send("GET", "/no/such/route",
                List.<String[]>of(new String[] {"Origin", "chrome-extension://abcdefghijklmnop"}), null);

        assertEquals(404, answer.status());
        assertEquals("chrome-extension://abcdefghijklmnop", answer.header("Access-Control-Allow-Origin"));
        assertEquals("true", answer.header("Access-Control-Allow-Credentials"));
    }
}
