package dev.relay.fake;

import io.vertx.core.MultiMap;

/** A {@link Reply} rendered by one {@link WireFormat}; it answers any number of requests. */
public interface EncodedReply {

    /** The script it was rendered from: status, timing and faults the transport applies. */
    Reply reply();

    /**
     * The answer to one request. Adds the provider's headers (request id, rate-limit state) to {@code headers};
     * the status line, the reply's extra headers and the content type are set by the transport afterwards.
     */
    WireAnswer answer(WireRequest request, MultiMap headers);
}
