package dev.relay.testsupport;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.FakeTokenEndpoint;
import java.util.Map;

/**
 * {@link RelayTestResource} plus the Claude OAuth upstream's fakes: an Anthropic API behind {@code CLAUDE_API_URL}
 * and a token endpoint behind {@code CLAUDE_OAUTH_TOKEN_URL}, shared by the test classes that use this resource.
 */
public class OAuthTestResource extends RelayTestResource {
    public static final FakeAnthropic API = new FakeAnthropic();
    public static final FakeTokenEndpoint TOKENS = new FakeTokenEndpoint();
    private static boolean started;

    @Override
    public Map<String, String> start() {
        synchronized (OAuthTestResource.class) {
            if (!started) {
                API.start();
                TOKENS.start();
                started = true;
            }
        }
        Map<String, String> config = new java.util.HashMap<>(super.start());
        config.put("relay.claude.api-url", API.baseUrl());
        config.put("relay.claude.oauth-token-url", TOKENS.url());
        config.put("relay.claude.refresh-wait-seconds", "5");
        // the legacy's two 403 repeats, 100 ms apart instead of 2 s (ClaudeOAuthErrorsTest)
        config.put("relay.claude.forbidden-retry-delay-ms", "100");
        // fixture 11's client claims Claude Code 1.0.110 and must reach the upstream as it was (ClaudeCodeVersionFloorTest)
        config.put("relay.claude.claude-code-version-floor", "off");
        return config;
    }
}
