package dev.relay.gateway.api.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.relay.testsupport.ManualClock;
import dev.relay.usage.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Issue 20: per-session and per-agent attribution, as metrics of bounded cardinality. */
@Tag("fast")
class ClaudeCodeAttributionTest {
    final MeterRegistry meters = new SimpleMeterRegistry();
    final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
    final ClaudeCodeAttribution attribution = new ClaudeCodeAttribution(meters, clock);

    static MultiMap headers(String session, String agent) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        if (session != null) {
            h.add("X-Claude-Code-Session-Id", session);
        }
        if (agent != null) {
            h.add("x-claude-code-agent-id", agent);
        }
        return h;
    }

    double count(String name, String... tags) {
        var found = meters.find(name).tags(tags).counter();
        return found == null ? 0 : found.count();
    }

    @Test
    void requestsAndTokensAreSplitByMainAgentAndSubagent() {
        var main = attribution.requestFrom(headers("s1", null));
        var sub = attribution.requestFrom(headers("s1", "agent-7"));
        attribution.billed(main, new Usage(100, 20, 0, 300, 0, 0, "m"));
        attribution.billed(sub, new Usage(10, 2, 5, 0, 0, 0, "m"));

        assertEquals(1, count(ClaudeCodeAttribution.REQUESTS, "agent", "main"));
        assertEquals(1, count(ClaudeCodeAttribution.REQUESTS, "agent", "subagent"));
        assertEquals(100, count(ClaudeCodeAttribution.TOKENS, "agent", "main", "kind", "input"));
        assertEquals(300, count(ClaudeCodeAttribution.TOKENS, "agent", "main", "kind", "cache_read"));
        assertEquals(5, count(ClaudeCodeAttribution.TOKENS, "agent", "subagent", "kind", "cache_create"));
    }

    @Test
    void sessionsAreCountedNotLabelled() {
        for (int i = 0; i < 30; i++) {
            attribution.requestFrom(headers("session-" + (i % 10), null));
        }
        assertEquals(10, count(ClaudeCodeAttribution.SESSIONS_STARTED));
        assertEquals(10, meters.get(ClaudeCodeAttribution.SESSIONS_ACTIVE).gauge().value());
        assertFalse(meters.getMeters().stream().anyMatch(m -> m.getId().getTags().stream()
                .anyMatch(t -> t.getValue().startsWith("session-"))), "no series per session id");

        clock.advanceMillis(Duration.ofMinutes(16).toMillis());
        attribution.requestFrom(headers("session-1", null));
        assertEquals(1, meters.get(ClaudeCodeAttribution.SESSIONS_ACTIVE).gauge().value());
        assertEquals(10, count(ClaudeCodeAttribution.SESSIONS_STARTED), "a resumed session is not new");
    }

    @Test
    void promptsAndRequestClassesAreCountedToo() {
        MultiMap first = headers("s1", null).add("x-claude-code-prompt-id", "p1");
        attribution.requestFrom(first);
        attribution.requestFrom(headers("s1", null).add("x-claude-code-prompt-id", "p1"));
        attribution.requestFrom(headers("s1", null).add("x-claude-code-prompt-id", "p2")
                .add("x-claude-code-request-class", "subagent"));

        assertEquals(2, count(ClaudeCodeAttribution.PROMPTS));
        assertEquals(2, count(ClaudeCodeAttribution.REQUESTS, "agent", "main"));
        assertEquals(1, count(ClaudeCodeAttribution.REQUESTS, "agent", "subagent"));
    }

    @Test
    void requestsWithoutASessionAreNotAttributed() {
        var none = attribution.requestFrom(headers(null, "agent"));
        attribution.billed(none, new Usage(100, 20, 0, 0, 0, 0, "m"));
        var tooLong = attribution.requestFrom(headers("x".repeat(500), null));
        assertFalse(none.attributed() || tooLong.attributed());
        assertEquals(0, count(ClaudeCodeAttribution.REQUESTS, "agent", "main"));
        assertEquals(0, count(ClaudeCodeAttribution.SESSIONS_STARTED));
    }
}
