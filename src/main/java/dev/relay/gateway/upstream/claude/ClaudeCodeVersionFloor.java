package dev.relay.gateway.upstream.claude;

import dev.relay.config.ClaudeConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lowest Claude Code version an OAuth call may claim: Anthropic refuses the newest models to OAuth calls whose
 * {@code User-Agent} names an older Claude Code ({@code claude_code_version_too_old}). The floor is the configured
 * version or the newest real Claude Code seen by this instance, whichever is higher (the legacy's daily capture
 * keeps the highest too). A client that claims less is sent upstream with the floor's version, and counted.
 * {@code off} turns the rule off (the client's user agent is always sent as it is, as the legacy does).
 */
@Singleton
public class ClaudeCodeVersionFloor {
    public static final String METRIC = "relay_claude_code_identity_raised_total";
    private static final Pattern CLAUDE_CLI = Pattern.compile("^claude-cli/(\\d+(?:\\.\\d+)*)(.*)$",
            Pattern.CASE_INSENSITIVE);

    private final boolean enabled;
    private final AtomicReference<String> floor;
    private final Counter raised;

    @Inject
    public ClaudeCodeVersionFloor(ClaudeConfig config, MeterRegistry meters) {
        this(config.claudeCodeVersionFloor(), meters);
    }

    public ClaudeCodeVersionFloor(String configured, MeterRegistry meters) {
        String value = configured == null ? "" : configured.strip();
        this.enabled = !"off".equalsIgnoreCase(value);
        this.floor = new AtomicReference<>(enabled ? value : "");
        this.raised = Counter.builder(METRIC)
                .description("OAuth calls whose client claimed a Claude Code version below the floor").register(meters);
    }

    /**
     * The user agent to send for the client's: a {@code claude-cli/x.y.z} below the floor gets the floor's version
     * (the rest kept); any other value is returned as it is. A client above the floor raises it.
     */
    public String apply(String clientUserAgent) {
        if (clientUserAgent == null || !enabled) {
            return clientUserAgent;
        }
        Matcher m = CLAUDE_CLI.matcher(clientUserAgent);
        if (!m.matches()) {
            return clientUserAgent;
        }
        String version = m.group(1);
        String current = floor.get();
        if (current.isEmpty() || compare(version, current) >= 0) {
            floor.accumulateAndGet(version, (a, b) -> a.isEmpty() || compare(b, a) > 0 ? b : a);
            return clientUserAgent;
        }
        raised.increment();
        return "claude-cli/" + current + m.group(2);
    }

    public String current() {
        return floor.get();
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? parse(x[i]) : 0;
            long q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long parse(String part) {
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
