package dev.relay.gateway.api.anthropic;

import dev.relay.failure.RelayFailure;
import dev.relay.gateway.GatewayRoutes;
import dev.relay.usage.UsageSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * The Anthropic API's paths (relay.md §1.1); query strings such as Claude Code's {@code ?beta=true} are ignored.
 * The messages, count_tokens and models paths are also served at the root, so that the bare host works as
 * Claude Code's {@code ANTHROPIC_BASE_URL} (the gateway guide's endpoints); the legacy serves them only under
 * {@code /api} and {@code /claude}.
 */
@Singleton
public class AnthropicRoutes {
    /** Where the Anthropic API is served: the legacy's prefixes, then the root. */
    static final List<String> MESSAGES_PREFIXES = List.of("/api", "/claude", "/api/claude", "/claude/claude", "");
    static final List<String> MODELS_PREFIXES = List.of("/api", "/claude", "");

    private final GatewayRoutes shared;
    private final AnthropicMessagesRoute messages;
    private final UsageSummary usage;
    private final ModelCatalog models;

    public AnthropicRoutes(GatewayRoutes shared, AnthropicMessagesRoute messages, UsageSummary usage,
            ModelCatalog models) {
        this.shared = shared;
        this.messages = messages;
        this.usage = usage;
        this.models = models;
    }

    void register(@Observes Router router) {
        for (String prefix : MESSAGES_PREFIXES) {
            shared.post(router, prefix + "/v1/messages", messages::messages, AnthropicRoutes::tooLarge);
            shared.post(router, prefix + "/v1/messages/count_tokens", messages::countTokens, AnthropicRoutes::tooLarge);
        }
        for (String prefix : MODELS_PREFIXES) {
            router.get(prefix + "/v1/models").handler(ctx -> shared.fromKey(ctx,
                    key -> models.listFor(key, Instant.now())));
        }
        for (String prefix : new String[] {"/api", "/claude"}) {
            router.get(prefix + "/v1/me").handler(ctx -> shared.fromKey(ctx,
                    key -> Future.succeededFuture(KeyInfo.me(key))));
            router.get(prefix + "/v1/organizations/:orgId/usage").handler(ctx -> shared.fromKey(ctx,
                    key -> Future.succeededFuture(KeyInfo.creditBalance(key))));
            router.get(prefix + "/v1/key-info").handler(ctx -> shared.fromKey(ctx,
                    key -> usage.of(key.id(), key.raw().get("createdAt"), Instant.now()).map(u -> KeyInfo.keyInfo(key, u))));
            router.get(prefix + "/v1/usage").handler(ctx -> shared.fromKey(ctx,
                    key -> usage.of(key.id(), key.raw().get("createdAt"), Instant.now()).map(u -> KeyInfo.usage(key, u))));
            router.post(prefix + "/api/event_logging/batch").handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json; charset=utf-8").end("{\"success\":true}"));
        }
    }

    /** Anthropic's error shape for a body over relay's limit (Claude Code and the SDKs parse it). */
    static RelayFailure tooLarge(String limit) {
        return new RelayFailure(413, new JsonObject().put("type", "error").put("error", new JsonObject()
                .put("type", "request_too_large").put("message", "Request body size exceeds limit (" + limit + ")")));
    }
}
