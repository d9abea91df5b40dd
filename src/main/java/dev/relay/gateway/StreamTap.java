package dev.relay.gateway;

import dev.relay.usage.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * Reads an upstream event stream as it passes through the {@link StreamPump}: returns the bytes to send on, and
 * says at the end whether the stream was complete and what usage it reported. One per upstream stream format.
 */
public interface StreamTap {
    /** Feeds one upstream chunk; returns what goes to the client now (possibly empty while a line is partial). */
    Buffer process(Buffer chunk);

    /** What is still held back when the upstream ends. */
    Buffer drain();

    /** Whether the stream's terminal event was seen. */
    boolean complete();

    /** Whether the upstream ended the stream with an error event of its own (then no second one is added). */
    boolean endedWithError();

    /** The usage read so far, or null when none was reported. */
    Usage usage();
}
