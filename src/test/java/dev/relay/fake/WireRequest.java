package dev.relay.fake;

import io.vertx.core.buffer.Buffer;

/**
 * What a {@link WireFormat} may look at to answer a request.
 *
 * @param path the path without query string
 * @param body the complete request body
 * @param sequence 1 for the first request the fake received, then counting up; providers number their ids with it
 */
public record WireRequest(String path, Buffer body, long sequence) {
}
