package dev.relay.fake;

/**
 * How one provider's API looks on the wire, for {@link FakeUpstream}: which paths it serves and how a scripted
 * {@link Reply} becomes that provider's answer — a whole body (a message, a token count, an error) or a stream of
 * frames (SSE events, AWS event-stream messages), with the provider's own headers and in-stream error.
 *
 * <p>Everything else is the transport's and the same for every provider: the delay before the head, the pause
 * between frames, back-pressure, dropping the connection, the {@code x-fake-*} overrides, recording and counting.
 */
public interface WireFormat {

    /** Whether the provider has an endpoint at this path (no query string); any other gets a 404 in its format. */
    boolean serves(String path);

    /** Renders a reply once, when it is scripted, so answering a request costs no encoding work. */
    EncodedReply encode(Reply reply);
}
