package dev.relay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class UpstreamResponseHeadersTest {

    @Test
    void whatClientsActOnPasses() {
        for (String name : List.of("request-id", "anthropic-ratelimit-unified-status",
                "anthropic-ratelimit-unified-5h-reset", "anthropic-ratelimit-requests-remaining", "retry-after",
                "x-should-retry", "Content-Type", "x-some-new-header")) {
            assertTrue(UpstreamResponseHeaders.passes(name), name);
        }
    }

    @Test
    void theConnectionsAndTheAccountsOwnHeadersStay() {
        for (String name : List.of("Connection", "keep-alive", "Transfer-Encoding", "Content-Length",
                "content-encoding", "upgrade", "Set-Cookie", "anthropic-organization-id", "www-authenticate")) {
            assertFalse(UpstreamResponseHeaders.passes(name), name);
        }
    }

    @Test
    void copyKeepsEveryValueOfAPassingHeader() {
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().add("request-id", "req_1").add("x-multi", "a")
                .add("x-multi", "b").add("set-cookie", "s=1").add("content-length", "10");
        MultiMap client = MultiMap.caseInsensitiveMultiMap();
        UpstreamResponseHeaders.copy(upstream, client);
        assertEquals(List.of("a", "b"), client.getAll("x-multi"));
        assertEquals("req_1", client.get("request-id"));
        assertEquals(2, client.names().size());
    }
}
