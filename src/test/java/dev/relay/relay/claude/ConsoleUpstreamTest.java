package dev.relay.relay.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ProxyType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConsoleUpstreamTest {

    static ClaudeConsoleAccount account(String apiUrl, String key, String userAgent) {
        return new ClaudeConsoleAccount("a1", "n", apiUrl, key, 50, Map.of(), List.of(), userAgent, 60, "", true,
                "shared", "active", true, "", "", "", "", "", 0, 0, false, "", Map.of());
    }

    @Test
    void urlFollowsTheLegacyRules() {
        assertEquals("http://h/v1/messages", ConsoleUpstream.url("http://h/", false));
        assertEquals("http://h/v1/messages", ConsoleUpstream.url("http://h/v1/messages", false));
        assertEquals("http://h/v1/messages/count_tokens", ConsoleUpstream.url("http://h/v1/messages", true));
        assertEquals("http://h/api/v1/messages/count_tokens", ConsoleUpstream.url("http://h/api", true));
    }

    @Test
    void forwardsTheWhitelistAndAuthenticatesByKeyShape() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap()
                .add("x-api-key", "cr_client_key").add("authorization", "Bearer cr_x").add("cookie", "c")
                .add("User-Agent", "claude-cli/2.1.330 (external, sdk-cli)").add("anthropic-beta", "b1")
                .add("X-Stainless-OS", "Linux").add("accept-encoding", "gzip, br");
        MultiMap out = ConsoleUpstream.headers(account("http://h", "sk-ant-api03-x", ""), client);
        assertEquals("sk-ant-api03-x", out.get("x-api-key"));
        assertNull(out.get("authorization"));
        assertNull(out.get("cookie"));
        assertEquals("claude-cli/2.1.330 (external, sdk-cli)", out.get("user-agent"));
        assertEquals("b1", out.get("anthropic-beta"));
        assertEquals("Linux", out.get("x-stainless-os"));
        assertEquals("identity", out.get("accept-encoding"));

        MultiMap bearer = ConsoleUpstream.headers(account("http://h", "third-party-key", ""), client);
        assertEquals("Bearer third-party-key", bearer.get("authorization"));
    }

    /** relay.md §5.3 and fixture 04: the account's stored UA is only the fallback for a client that sent none. */
    @Test
    void theClientsUserAgentWinsOverTheAccountsAndTheAccountsOverTheDefault() {
        MultiMap claudeCode = MultiMap.caseInsensitiveMultiMap().add("User-Agent", "claude-cli/1.0.110 (external, cli)");
        MultiMap none = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-06-01");
        ClaudeConsoleAccount withUa = account("http://h", "sk-ant-x", "claude-cli/1.0.69 (external, cli)");
        ClaudeConsoleAccount withoutUa = account("http://h", "sk-ant-x", "");

        assertEquals("claude-cli/1.0.110 (external, cli)", ConsoleUpstream.headers(withUa, claudeCode).get("user-agent"));
        assertEquals(1, ConsoleUpstream.headers(withUa, claudeCode).getAll("user-agent").size());
        assertEquals("claude-cli/1.0.69 (external, cli)", ConsoleUpstream.headers(withUa, none).get("user-agent"));
        assertEquals(ConsoleUpstream.DEFAULT_USER_AGENT, ConsoleUpstream.headers(withoutUa, none).get("user-agent"));
    }

    @Test
    void readsTheAccountProxy() {
        var socks = ConsoleUpstream.proxy("{\"type\":\"socks5\",\"host\":\"127.0.0.1\",\"port\":1080,\"username\":\"u\",\"password\":\"p\"}");
        assertEquals(ProxyType.SOCKS5, socks.getType());
        assertEquals(1080, socks.getPort());
        assertEquals("u", socks.getUsername());
        assertEquals(ProxyType.HTTP, ConsoleUpstream.proxy("{\"type\":\"http\",\"host\":\"p\",\"port\":\"8080\"}").getType());
        assertNull(ConsoleUpstream.proxy("not json"));
        assertNull(ConsoleUpstream.proxy(""));
    }

    @Test
    void sixHundredSlowStreamsReachTheUpstreamAtOnce() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeAnthropic fake = new FakeAnthropic()) {
            // each stream stays open ~6 s at the upstream: with a smaller pool the rest would wait for a connection
            fake.recordRequests(false).defaultReply(Reply.ok().chunks(20).eventDelayMs(250));
            String url = fake.start();
            ConsoleUpstream upstream = new ConsoleUpstream(vertx, 30_000);
            ClaudeConsoleAccount account = account(url, "sk-ant-api03-x", "");
            Buffer body = Buffer.buffer("{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
            List<Future<ConsoleUpstream.Call>> calls = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                calls.add(upstream.send(account, false, MultiMap.caseInsensitiveMultiMap(), body));
            }
            Future.all(calls).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(fake.maxInFlight() >= 600, "upstream saw at most " + fake.maxInFlight() + " at once");
            for (Future<ConsoleUpstream.Call> c : calls) {
                c.result().response().exceptionHandler(e -> { });
                c.result().request().connection().close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
