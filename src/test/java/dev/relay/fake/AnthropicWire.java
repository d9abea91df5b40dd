package dev.relay.fake;

/**
 * Anthropic's Messages API in the capture's wire format (fixtures 04, 05, 10). {@code POST /v1/messages} answers a
 * 2xx reply with a message: JSON, or SSE ({@code message_start}, {@code content_block_*}, {@code ping},
 * {@code message_delta}, {@code message_stop}) when the body has {@code "stream":true};
 * {@code POST /v1/messages/count_tokens} with {@code {"input_tokens":N}}. Any other status answers with
 * {@code {"type":"error","error":{"type":..,"message":..}}}, a 429 with {@code retry-after} and the unified reset;
 * a scripted in-stream error is an {@code event: error} frame. A cut stream stops between two events.
 */
public final class AnthropicWire implements WireFormat {
    static final String MESSAGES = "/v1/messages";
    static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final boolean countTokens;

    public AnthropicWire() {
        this(true);
    }

    /** @param countTokens false: an Anthropic-compatible API without count_tokens (404 there) */
    public AnthropicWire(boolean countTokens) {
        this.countTokens = countTokens;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(MESSAGES) || (countTokens && path.equals(COUNT_TOKENS));
    }

    @Override
    public EncodedReply encode(Reply reply) {
        return new AnthropicReply(reply);
    }
}
