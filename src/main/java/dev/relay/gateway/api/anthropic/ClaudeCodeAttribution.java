package dev.relay.gateway.api.anthropic;

import dev.relay.usage.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.MultiMap;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cost attribution from Claude Code's attribution headers ({@code x-claude-code-session-id}; the agent id and
 * request class a subagent's requests carry; the prompt id of the opt-in gateway hint headers), as metrics only:
 * never a Redis key, never a series per session, agent or prompt id. Tokens and requests are split by whether the
 * main agent or a subagent asked; sessions (started, and active in the last {@link #ACTIVE_WINDOW}) and prompts are
 * counted in a bounded memory of recent ids (docs/operations.md, "Claude Code as a client").
 */
@Singleton
public class ClaudeCodeAttribution {
    public static final String SESSION_HEADER = "x-claude-code-session-id";
    public static final String AGENT_HEADER = "x-claude-code-agent-id";
    public static final String REQUEST_CLASS_HEADER = "x-claude-code-request-class";
    public static final String PROMPT_HEADER = "x-claude-code-prompt-id";
    static final String REQUESTS = "relay_claude_code_requests_total";
    static final String TOKENS = "relay_claude_code_tokens_total";
    static final String SESSIONS_STARTED = "relay_claude_code_sessions_started_total";
    static final String SESSIONS_ACTIVE = "relay_claude_code_sessions_active";
    static final String PROMPTS = "relay_claude_code_prompts_total";
    static final Duration ACTIVE_WINDOW = Duration.ofMinutes(15);
    /** Ids remembered at most, per kind (a few MB); the oldest sighting is forgotten first. */
    static final int MAX_IDS = 50_000;
    private static final int MAX_ID_LENGTH = 128;

    /** Who in a Claude Code session sent a request. */
    public enum Agent {
        MAIN("main"), SUBAGENT("subagent");

        final String tag;

        Agent(String tag) {
            this.tag = tag;
        }
    }

    /** One request's attribution; {@link #NONE} when it did not come from Claude Code. */
    public record Source(String sessionId, Agent agent) {
        static final Source NONE = new Source(null, null);

        boolean attributed() {
            return sessionId != null;
        }
    }

    private final MeterRegistry meters;
    private final Map<Agent, Counter> requests = new LinkedHashMap<>();
    private final Counter sessionsStarted;
    private final Counter prompts;
    private final RecentIds sessions;
    private final RecentIds promptIds;

    @Inject
    public ClaudeCodeAttribution(MeterRegistry meters) {
        this(meters, Clock.systemUTC());
    }

    ClaudeCodeAttribution(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.sessions = new RecentIds(MAX_IDS, clock);
        this.promptIds = new RecentIds(MAX_IDS, clock);
        for (Agent agent : Agent.values()) {
            requests.put(agent, Counter.builder(REQUESTS).description("Requests from Claude Code sessions")
                    .tag("agent", agent.tag).register(meters));
        }
        sessionsStarted = Counter.builder(SESSIONS_STARTED)
                .description("Claude Code sessions seen for the first time (within the remembered ids)")
                .register(meters);
        prompts = Counter.builder(PROMPTS)
                .description("Claude Code user prompts (distinct x-claude-code-prompt-id, when the client sends it)")
                .register(meters);
        Gauge.builder(SESSIONS_ACTIVE, sessions, s -> s.seenWithin(ACTIVE_WINDOW))
                .description("Claude Code sessions with a request in the last 15 minutes").register(meters);
    }

    /** Reads the request's attribution headers and counts the request; never fails on odd values. */
    public Source requestFrom(MultiMap headers) {
        String session = id(headers.get(SESSION_HEADER));
        if (session == null) {
            return Source.NONE;
        }
        boolean subagent = id(headers.get(AGENT_HEADER)) != null
                || "subagent".equalsIgnoreCase(headers.get(REQUEST_CLASS_HEADER));
        Agent agent = subagent ? Agent.SUBAGENT : Agent.MAIN;
        requests.get(agent).increment();
        if (sessions.seen(session)) {
            sessionsStarted.increment();
        }
        String prompt = id(headers.get(PROMPT_HEADER));
        if (prompt != null && promptIds.seen(prompt)) {
            prompts.increment();
        }
        return new Source(session, agent);
    }

    /** Adds a billed answer's tokens to its source's totals. */
    public void billed(Source source, Usage usage) {
        if (source == null || !source.attributed() || usage == null) {
            return;
        }
        add(source.agent(), "input", usage.inputTokens());
        add(source.agent(), "output", usage.outputTokens());
        add(source.agent(), "cache_create", usage.effectiveCacheCreateTokens());
        add(source.agent(), "cache_read", usage.cacheReadTokens());
    }

    private void add(Agent agent, String kind, long tokens) {
        if (tokens > 0) {
            Counter.builder(TOKENS).description("Tokens billed to Claude Code sessions").tag("agent", agent.tag)
                    .tag("kind", kind).register(meters).increment(tokens);
        }
    }

    private static String id(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        return trimmed.isEmpty() || trimmed.length() > MAX_ID_LENGTH ? null : trimmed;
    }
}
