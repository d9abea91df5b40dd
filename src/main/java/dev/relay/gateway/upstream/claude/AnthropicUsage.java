package dev.relay.gateway.upstream.claude;

import dev.relay.usage.Usage;
import io.vertx.core.json.JsonObject;

/** Usage from a whole Anthropic Messages answer's {@code usage} object (relay.md §6.3, §6.4). */
public final class AnthropicUsage {
    private AnthropicUsage() {
    }

    /** Null when the object lacks the input or output count. */
    public static Usage of(JsonObject usage) {
        if (usage == null || !(usage.getValue("input_tokens") instanceof Number)
                || !(usage.getValue("output_tokens") instanceof Number)) {
            return null;
        }
        long e5 = 0;
        long e1 = 0;
        boolean split = false;
        JsonObject cc = usage.getJsonObject("cache_creation");
        if (cc != null) {
            e5 = cc.getLong("ephemeral_5m_input_tokens", 0L);
            e1 = cc.getLong("ephemeral_1h_input_tokens", 0L);
            split = e5 + e1 > 0;
        }
        long cacheCreate = split ? e5 + e1 : usage.getLong("cache_creation_input_tokens", 0L);
        return new Usage(usage.getLong("input_tokens"), usage.getLong("output_tokens"), cacheCreate,
                usage.getLong("cache_read_input_tokens", 0L), e5, e1, null);
    }
}
