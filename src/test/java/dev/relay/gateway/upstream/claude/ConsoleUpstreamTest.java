package dev.relay.gateway.upstream.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.relay.account.AccountProfile;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ConsoleSettings;
import io.vertx.core.MultiMap;
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

        MultiMap bearer = ConsoleUpstream.headers(account("http://h", "third-party-key", "custom-ua/1"), client);
        assertEquals("Bearer third-party-key", bearer.get("authorization"));
        assertEquals("custom-ua/1", bearer.get("user-agent"));
    }
}
