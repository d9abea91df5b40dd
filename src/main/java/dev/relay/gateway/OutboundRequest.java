package dev.relay.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A request for an upstream as an adapter built it, before its credential is applied.
 *
 * @param proxy the account's proxy setting (null or blank: direct)
 */
public record OutboundRequest(String url, MultiMap headers, Buffer body, String proxy) {
}
