package dev.relay.gateway;

import io.vertx.core.Future;

/**
 * A static API key, placed where its upstream reads it: {@code x-api-key} (Anthropic), {@code Authorization:
 * Bearer} (most OpenAI-compatible upstreams), Azure's {@code api-key}, Gemini's {@code x-goog-api-key}.
 *
 * @param prefix written before the key (e.g. {@code "Bearer "}), or empty
 */
public record StaticKey(String header, String prefix, String key) implements Credential {

    public static StaticKey bearer(String key) {
        return new StaticKey("Authorization", "Bearer ", key);
    }

    @Override
    public Future<Void> authenticate(OutboundRequest request) {
        request.headers().set(header, prefix + (key == null ? "" : key));
        return Future.succeededFuture();
    }
}
