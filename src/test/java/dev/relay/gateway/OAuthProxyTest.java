package dev.relay.gateway;

import static dev.relay.gateway.RelayFlow.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.LocalProxy;
import dev.relay.testsupport.OAuthTestResource;
import dev.relay.testsupport.RelayWorld;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-account proxies (relay.md §5.2.4): an OAuth account's calls go through its HTTP or SOCKS5 proxy with the
 * proxy's username and password (real proxies on loopback), also the token refresh.
 */
@QuarkusTest
@QuarkusTestResource(OAuthTestResource.class)
class OAuthProxyTest extends RelayTestBase {
    static final FakeAnthropic API = OAuthTestResource.API;

    @BeforeEach
    void reset() {
        API.reset();
        OAuthTestResource.TOKENS.reset();
    }

    void relayThrough(LocalProxy proxy, long expiresAtMs) {
        String account = UUID.randomUUID().toString();
        world.oauthAccount(account, 10, "sk-ant-oat01-proxied", "sk-ant-ort01-proxied", expiresAtMs,
                Map.of("proxy", proxy.accountProxyJson()));
        RelayWorld.SeededKey key = world.key(Map.of("claudeAccountId", account));
        reloadAccounts();

        assertEquals(200, post("/api/v1/messages", key.raw(), RelayFlow.body(false, "proxied", null)).statusCode());

        assertEquals(1, API.requests().stream().filter(r -> r.path().equals("/v1/messages")).count());
        assertTrue(proxy.tunnels() >= 1, "the call went through the proxy");
        assertEquals(0, proxy.refusals().size(), proxy.refusals().toString());
    }

    /** OAuth accounts left behind would count as healthy ones in other classes' legacy health checks. */
    @AfterEach
    void removeOAuthAccounts() {
        redis.flush();
    }

    @Test
    void anHttpProxyWithCredentialsCarriesTheCall() throws Exception {
        try (LocalProxy proxy = new LocalProxy(LocalProxy.Kind.HTTP, "hu", "hp")) {
            relayThrough(proxy, System.currentTimeMillis() + 3_600_000);
        }
    }

    @Test
    void aSocks5ProxyWithCredentialsCarriesTheRefreshAndTheCall() throws Exception {
        try (LocalProxy proxy = new LocalProxy(LocalProxy.Kind.SOCKS5, "su", "sp")) {
            relayThrough(proxy, System.currentTimeMillis() - 1000);
            assertEquals(1, OAuthTestResource.TOKENS.calls());
            assertTrue(proxy.tunnels() >= 2, "token call and message call both tunnelled: " + proxy.tunnels());
        }
    }
}
