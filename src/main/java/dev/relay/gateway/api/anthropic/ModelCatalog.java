package dev.relay.gateway.api.anthropic;

import dev.relay.auth.ApiKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** The static model list of {@code GET /v1/models} (services/modelService.js; fixture 09 "models"). */
public final class ModelCatalog {
    private record Model(String id, String owner) {
    }

    private static final List<Model> MODELS = List.of(
            new Model("claude-3-5-haiku-20241022", "anthropic"), new Model("claude-3-5-sonnet-20241022", "anthropic"),
            new Model("claude-3-7-sonnet-20250219", "anthropic"), new Model("claude-3-haiku-20240307", "anthropic"),
            new Model("claude-3-opus-20240229", "anthropic"), new Model("claude-haiku-4-5-20251001", "anthropic"),
            new Model("claude-opus-4-1-20250805", "anthropic"), new Model("claude-opus-4-20250514", "anthropic"),
            new Model("claude-opus-4-5-20251101", "anthropic"), new Model("claude-sonnet-4-20250514", "anthropic"),
            new Model("claude-sonnet-4-5-20250929", "anthropic"), new Model("gemini-2.5-flash", "google"),
            new Model("gemini-2.5-pro", "google"), new Model("gemini-3-pro-preview", "google"),
            new Model("gpt-5-2025-08-07", "openai"), new Model("gpt-5-codex", "openai"),
            new Model("gpt-5.1-2025-11-13", "openai"), new Model("gpt-5.1-codex", "openai"),
            new Model("gpt-5.1-codex-max", "openai"), new Model("gpt-5.1-codex-mini", "openai"));

    private ModelCatalog() {
    }

    /** The list minus the key's blocked models; {@code created} is the current time, as the legacy answers. */
    public static JsonObject listFor(ApiKey key, Instant now) {
        JsonArray data = new JsonArray();
        long created = now.getEpochSecond();
        for (Model m : MODELS) {
            if (key.enableModelRestriction() && key.restrictedModels().contains(m.id())) {
                continue;
            }
            data.add(new JsonObject().put("id", m.id()).put("object", "model").put("created", created)
                    .put("owned_by", m.owner()));
        }
        return new JsonObject().put("object", "list").put("data", data);
    }
}
