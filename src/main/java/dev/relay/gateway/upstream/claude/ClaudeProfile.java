package dev.relay.gateway.upstream.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.account.Platform;
import dev.relay.gateway.OutboundRequest;
import dev.relay.gateway.UpstreamHttp;
import dev.relay.store.LegacyClock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The account's subscription after a refresh, when its scopes include {@code user:profile} (relay.md §5.5, fixture
 * 11 upstream seq 118): {@code GET /api/oauth/profile} with the new token, stored as the legacy's
 * {@code subscriptionInfo} JSON and {@code profileUpdatedAt}. A failed fetch changes nothing.
 */
final class ClaudeProfile {
    static final String PATH = "/api/oauth/profile";

    private ClaudeProfile() {
    }

    static boolean allowed(ClaudeOAuthAccount account) {
        return List.of(account.scopes().split(" ")).contains("user:profile");
    }

    static Future<Void> refresh(UpstreamHttp http, AccountStore accounts, String baseUrl, ClaudeOAuthAccount account,
            Clock clock) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Accept", "application/json")
                .add("Content-Type", "application/json")
                .add("Authorization", "Bearer " + account.accessToken())
                .add("User-Agent", ClaudeTokenEndpoint.USER_AGENT)
                .add("Accept-Language", "en-US,en;q=0.9")
                .add("Accept-Encoding", "identity");
        return http.send(HttpMethod.GET, new OutboundRequest(baseUrl + PATH, headers, Buffer.buffer(), account.proxy()),
                        request -> { })
                .compose(call -> {
                    call.response().resume();
                    return call.response().body().map(body -> call.response().statusCode() == 200
                            ? body.toJsonObject() : null);
                })
                .compose(profile -> {
                    if (profile == null || !(profile.getValue("account") instanceof JsonObject)) {
                        return Future.<Void>failedFuture(new IllegalStateException("profile not available"));
                    }
                    String now = LegacyClock.iso(clock.instant());
                    return accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), Map.of(
                            "subscriptionInfo", subscriptionInfo(profile, now).encode(), "profileUpdatedAt", now),
                            List.of());
                });
    }

    /** The legacy's {@code subscriptionInfo} from a profile answer, fields in its order. */
    static JsonObject subscriptionInfo(JsonObject profile, String fetchedAt) {
        JsonObject account = profile.getValue("account") instanceof JsonObject a ? a : new JsonObject();
        JsonObject org = profile.getValue("organization") instanceof JsonObject o ? o : new JsonObject();
        boolean max = Boolean.TRUE.equals(account.getValue("has_claude_max"));
        boolean pro = Boolean.TRUE.equals(account.getValue("has_claude_pro"));
        return new JsonObject()
                .put("email", account.getValue("email"))
                .put("fullName", account.getValue("full_name"))
                .put("displayName", account.getValue("display_name"))
                .put("hasClaudeMax", max)
                .put("hasClaudePro", pro)
                .put("accountUuid", account.getValue("uuid"))
                .put("organizationName", org.getValue("name"))
                .put("organizationUuid", org.getValue("uuid"))
                .put("billingType", org.getValue("billing_type"))
                .put("rateLimitTier", org.getValue("rate_limit_tier"))
                .put("organizationType", org.getValue("organization_type"))
                .put("accountType", max ? "claude_max" : pro ? "claude_pro" : "free")
                .put("profileFetchedAt", fetchedAt);
    }
}
