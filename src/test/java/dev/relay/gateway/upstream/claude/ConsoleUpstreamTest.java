package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relay.account.AccountProfile;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ConsoleSettings;
import dev.relay.gateway.OutboundRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ConsoleUpstreamTest {

    static ClaudeConsoleAccount account(String apiUrl, String key, String userAgent) {
        return new ClaudeConsoleAccount(new AccountProfile("a1", "n", "", "shared", 50, true, "active", true, "", "",
                "", "", "", ""), new ConsoleSettings(apiUrl, key, Map.of(), List.of(), userAgent, 60, 0), "", "", 0,
                false, Map.of());
    }

    /** The headers the upstream gets: the adapter's, then the account's credential. */
    private static MultiMap sent(ClaudeConsoleAccount account, MultiMap client) {
        OutboundRequest out = new OutboundRequest("http://h", ConsoleUpstream.headers(account, client),
                Buffer.buffer(), "");
        ConsoleUpstream.credential(account).authenticate(out);
        return out.headers();
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
        MultiMap out = sent(account("http://h", "sk-ant-api03-x", ""), client);
        assertEquals("sk-ant-api03-x", out.get("x-api-key"));
        assertNull(out.get("authorization"));
        assertNull(out.get("cookie"));
        assertEquals("claude-cli/2.1.330 (external, sdk-cli)", out.get("user-agent"));
        assertEquals("b1", out.get("anthropic-beta"));
        assertEquals("Linux", out.get("x-stainless-os"));
        assertEquals("identity", out.get("accept-encoding"));

        MultiMap bearer = sent(account("http://h", "third-party-key", ""), client);
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

    /** Issue 20: the anthropic-* family is open for a Console upstream (the gateway guide), after the legacy's list. */
    @Test
    void everyAnthropicHeaderReachesTheConsoleUpstream() {
        MultiMap client = MultiMap.caseInsensitiveMultiMap().add("anthropic-version", "2023-06-01")
                .add("anthropic-beta", "claude-code-20250219").add("Anthropic-Workspace-Id", "wrkspc_1")
                .add("anthropic-future-flag", "on").add("x-claude-code-session-id", "s1").add("x-other", "no");
        MultiMap out = sent(account("http://h", "sk-ant-api03-x", ""), client);

        assertEquals("wrkspc_1", out.get("anthropic-workspace-id"));
        assertEquals("on", out.get("anthropic-future-flag"));
        assertEquals("claude-code-20250219", out.get("anthropic-beta"));
        assertEquals(1, out.getAll("anthropic-version").size());
        assertNull(out.get("x-claude-code-session-id"), "attribution headers are consumed, not forwarded");
        assertNull(out.get("x-other"));
        List<String> names = out.entries().stream().map(e -> e.getKey().toLowerCase()).toList();
        assertEquals(names.indexOf("anthropic-future-flag") - 1, names.indexOf("anthropic-workspace-id"),
                "the open family follows the legacy's list, in the client's order");
    }
}
