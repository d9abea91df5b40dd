package dev.relay.gateway;

import io.vertx.core.buffer.Buffer;

/** What the shared pipeline needs of a parsed client request, whatever the client API. */
public interface ClientRequest {
    /** The model as the client named it (null when absent). */
    String model();

    /** The model accounts are scheduled and billed for. */
    String schedulingModel();

    /** Whether the client asked for a stream. */
    boolean stream();

    /** The body for an upstream of the same API format, with the model replaced when the account maps it. */
    Buffer bodyFor(String upstreamModel);
}
