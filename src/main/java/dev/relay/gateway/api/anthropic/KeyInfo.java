package dev.relay.gateway.api.anthropic;

import dev.relay.auth.ApiKey;
import dev.relay.store.LegacyClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The small key-derived answers Claude Code asks for (routes/api.js {@code /v1/me}, organization usage). */
final class KeyInfo {
    private KeyInfo() {
    }

    /** {@code GET /v1/me}: {@code created_at} is the time of the answer, as the legacy sends it. */
    static JsonObject me(ApiKey key) {
        String name = key.name() == null || key.name().isEmpty() ? "API User" : key.name();
        return new JsonObject().put("id", "user_" + key.id()).put("type", "user").put("display_name", name)
                .put("created_at", LegacyClock.iso(Instant.now()));
    }

    /**
     * {@code GET /v1/organizations/:org_id/usage}. The legacy subtracts {@code usage.totalTokens}, a field its usage
     * summary does not have, so the balance it reports is always the key's {@code tokenLimit}; kept as observed.
     */
    static JsonObject creditBalance(ApiKey key) {
        return new JsonObject().put("object", "usage").put("data", new JsonArray().add(new JsonObject()
                .put("type", "credit_balance").put("credit_balance", key.tokenLimit())));
    }

    /** {@code GET /v1/key-info}. */
    static JsonObject keyInfo(ApiKey key, JsonObject usage) {
        return new JsonObject().put("keyInfo", new JsonObject().put("id", key.id()).put("name", key.name())
                .put("tokenLimit", key.tokenLimit()).put("usage", usage))
                .put("timestamp", LegacyClock.iso(Instant.now()));
    }

    /** {@code GET /v1/usage}: the request limit was removed in the legacy and is always 0. */
    static JsonObject usage(ApiKey key, JsonObject usage) {
        return new JsonObject().put("usage", usage)
                .put("limits", new JsonObject().put("tokens", key.tokenLimit()).put("requests", 0))
                .put("timestamp", LegacyClock.iso(Instant.now()));
    }
}
