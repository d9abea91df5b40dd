package dev.relay.gateway;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

/** A sent upstream request and its answer's head; the body is paused until the pipeline is ready for it. */
public record UpstreamCall(HttpClientRequest request, HttpClientResponse response) {
}
