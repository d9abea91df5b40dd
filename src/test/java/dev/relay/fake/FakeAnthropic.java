package dev.relay.fake;

/**
 * A fake Anthropic Messages API on a free loopback port, for tests and as the benchmark's upstream: a
 * {@link FakeUpstream} speaking {@link AnthropicWire} ({@code POST /v1/messages}, JSON or SSE, and
 * {@code POST /v1/messages/count_tokens}, in the capture's wire format).
 */
public final class FakeAnthropic extends FakeUpstream {

    /** One event loop: enough for tests. */
    public FakeAnthropic() {
        this(1);
    }

    /** Several event loops sharing the port, for load tests. */
    public FakeAnthropic(int eventLoops) {
        super(new AnthropicWire(), eventLoops);
    }

    private FakeAnthropic(AnthropicWire wire) {
        super(wire, 1);
    }

    /** An Anthropic-compatible upstream that has no count_tokens endpoint (many third-party ones). */
    public static FakeAnthropic withoutCountTokens() {
        return new FakeAnthropic(new AnthropicWire(false));
    }
}
