package dev.relay.fake;

import io.vertx.core.buffer.Buffer;
import java.util.function.IntFunction;

/** One answer as a {@link WireFormat} renders it; {@link FakeUpstream} puts it on the wire. */
public sealed interface WireAnswer permits WireAnswer.Whole, WireAnswer.Frames {

    CharSequence contentType();

    /** A complete body sent with its length; a scripted cut sends half of it, then drops the connection. */
    record Whole(CharSequence contentType, Buffer body) implements WireAnswer {
    }

    /**
     * A stream sent chunked, one write per frame, paced by {@link Reply#eventDelayMs}, stopping while the reader is
     * behind (back-pressure).
     *
     * @param count frames of the complete stream
     * @param frame the frame at a position, 0-based, with its per-request parts (an id) in place
     * @param errorFrame the provider's in-stream error, sent instead of the frame at {@link Reply#streamErrorAfter}
     *     and ending the stream; null when the reply scripts none
     * @param cutTail written just before the connection drops at {@link Reply#cutAfter}: empty where a cut falls
     *     between frames (SSE); part of a frame where the provider's framing can break inside one (binary frames)
     */
    record Frames(CharSequence contentType, int count, IntFunction<Buffer> frame, Buffer errorFrame, Buffer cutTail)
            implements WireAnswer {
    }
}
