package dev.relay.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/**
 * Settings of the Claude subscription (OAuth) upstream. The legacy's environment names are mapped onto these keys
 * in {@code application.properties}; every address defaults to the real host and can point at a private
 * deployment or a test fake.
 */
@ConfigMapping(prefix = "relay.claude")
public interface ClaudeConfig {

    /**
     * {@code CLAUDE_API_URL}: base URL of OAuth message calls ({@code /v1/messages?beta=true} is appended; a value
     * that already ends with {@code /v1/messages}, as the legacy's example config has it, is accepted).
     */
    @WithDefault("https://api.anthropic.com")
    String apiUrl();

    /**
     * {@code CLAUDE_OAUTH_TOKEN_URL}: the token endpoints, tried in order while one answers 404 (Anthropic moved the
     * endpoint to platform.claude.com; the old host answers 404 on refresh).
     */
    @WithDefault("https://platform.claude.com/v1/oauth/token,https://console.anthropic.com/v1/oauth/token")
    List<String> oauthTokenUrl();

    /** {@code CLAUDE_API_VERSION}: the {@code anthropic-version} sent when the client sends none. */
    @WithDefault("2023-06-01")
    String apiVersion();

    /**
     * Seconds an OAuth account sits out after a 429 that carries no {@code anthropic-ratelimit-unified-reset}
     * (the legacy waits for the 5-hour window's end, or an hour): short, since such a 429 is usually a burst limit.
     */
    @WithDefault("60")
    long rateLimitCooldownSeconds();

    /**
     * Seconds an OAuth account sits out after a 529 (overloaded). The legacy's {@code CLAUDE_OVERLOAD_HANDLING_MINUTES}
     * never took effect (relay.md §7.1); 0 disables the mark.
     */
    @WithDefault("600")
    long overloadSeconds();

    /**
     * Also write and honour the legacy's sticky-session key where it differs from relay's: the legacy keys a Claude
     * Code ≥ 2.1.78 conversation by its content hash, relay by its {@code session_id}; with both keys, the two
     * services behind one load balancer keep a conversation on one account. Off once the legacy is gone.
     */
    @WithDefault("true")
    boolean legacyStickyKey();

    /** Seconds a request waits for another instance's refresh of the same account before giving up. */
    @WithDefault("10")
    long refreshWaitSeconds();

    /**
     * The lowest Claude Code version an OAuth call may claim in its {@code User-Agent} (new models refuse older ones
     * with {@code claude_code_version_too_old}); an older client identity is raised to the newest seen or this,
     * and counted in {@code relay_claude_code_identity_raised_total}. {@code off}: client identities pass unchanged.
     */
    @WithDefault("2.1.251")
    String claudeCodeVersionFloor();

    /** Same-account repeats of an OAuth call answered 403 before the account is marked blocked (the legacy's 2). */
    @WithDefault("2")
    int forbiddenRetries();

    /** Milliseconds before each such repeat (the legacy's 2 s); the event loop is not held meanwhile. */
    @WithDefault("2000")
    long forbiddenRetryDelayMs();
}
