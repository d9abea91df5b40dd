package dev.relay.gateway;

import io.vertx.core.buffer.Buffer;

/** What the shared pipeline needs of a parsed client request, whatever the client API. */
public interface ClientRequest {
    /** The parsed body, for upstreams that rewrite it rather than pass the bytes on. */
    io.vertx.core.json.JsonObject json();

    /** The model as the client named it (null when absent). */
    String model();

    /** The model accounts are scheduled and billed for. */
    String schedulingModel();

    /** The vendor pool the model names (e.g. {@code ccr}), or null. */
    default String vendor() {
        return null;
    }

    /** The legacy's sticky-session key when it differs from the gateway's, else null. */
    default String legacySessionHash() {
        return null;
    }

    /** Whether the client asked for a stream. */
    boolean stream();

    /** The body for an upstream of the same API format, with the model replaced when the account maps it. */
    Buffer bodyFor(String upstreamModel);
}
