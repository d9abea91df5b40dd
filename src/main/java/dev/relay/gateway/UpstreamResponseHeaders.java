package dev.relay.gateway;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Which of an upstream answer's headers reach the client: all of them (request ids, rate-limit state,
 * {@code retry-after}, {@code x-should-retry}: what clients such as Claude Code act on), except a denylist of
 * headers that describe relay's connection to the upstream rather than the answer, and headers that would tell the
 * client which account served it. The same for whole answers, streams and errors, for every provider.
 */
public final class UpstreamResponseHeaders {
    /** Hop-by-hop (RFC 9110 §7.6.1) and framing: relay re-frames the body for its own connection. */
    private static final Set<String> CONNECTION = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "content-length", "content-encoding");
    /** Name the upstream account, its organisation or its session with the upstream. */
    private static final Set<String> ACCOUNT = Set.of("set-cookie", "set-cookie2", "anthropic-organization-id",
            "openai-organization", "openai-project", "x-organization-id", "x-account-id", "www-authenticate");

    private UpstreamResponseHeaders() {
    }

    /** Whether a header of the upstream's answer is passed to the client. */
    public static boolean passes(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !CONNECTION.contains(lower) && !ACCOUNT.contains(lower);
    }

    /** Adds the upstream headers that pass to the client's response headers (before relay's own are set). */
    static void copy(MultiMap upstream, MultiMap client) {
        if (upstream == null) {
            return;
        }
        upstream.forEach(e -> {
            if (passes(e.getKey())) {
                client.add(e.getKey(), e.getValue());
            }
        });
    }
}
