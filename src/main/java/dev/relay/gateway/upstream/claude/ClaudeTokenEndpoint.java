package dev.relay.gateway.upstream.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.account.Platform;
import dev.relay.account.SecretCipher;
import dev.relay.config.ClaudeConfig;
import dev.relay.gateway.OutboundRequest;
import dev.relay.gateway.TokenEndpoint;
import dev.relay.gateway.UpstreamHttp;
import dev.relay.scheduler.ClaudeAccountPool;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Claude OAuth token endpoint (relay.md §5.5, fixture 11 refresh): {@code POST /v1/oauth/token} with the refresh
 * token, through the account's proxy, on each configured endpoint in turn while one answers 404; the new tokens are
 * stored encrypted in the legacy's fields ({@code accessToken}, {@code refreshToken}, {@code expiresAt} ms,
 * {@code lastRefreshAt}, {@code status}, {@code errorMessage}), only those fields (no whole-hash rewrite).
 */
@Singleton
public class ClaudeTokenEndpoint implements TokenEndpoint<ClaudeOAuthAccount> {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ClaudeTokenEndpoint.class);
    static final String CLIENT_ID = "9d1c250a-e61b-44d9-88ed-5944d1962f5e";
    static final String USER_AGENT = "claude-cli/1.0.56 (external, cli)";

    private final UpstreamHttp http;
    private final AccountStore accounts;
    private final ClaudeAccountPool pool;
    private final List<String> tokenUrls;
    private final String apiBaseUrl;
    private final Clock clock;

    @Inject
    public ClaudeTokenEndpoint(UpstreamHttp http, AccountStore accounts, ClaudeAccountPool pool, ClaudeConfig config) {
        this(http, accounts, pool, config.oauthTokenUrl(), OAuthUpstream.baseUrl(config.apiUrl()), Clock.systemUTC());
    }

    /** @param apiBaseUrl where the profile is fetched after a refresh ({@code CLAUDE_API_URL}) */
    public ClaudeTokenEndpoint(UpstreamHttp http, AccountStore accounts, ClaudeAccountPool pool, List<String> tokenUrls,
            String apiBaseUrl, Clock clock) {
        this.http = http;
        this.accounts = accounts;
        this.pool = pool;
        this.tokenUrls = List.copyOf(tokenUrls);
        this.apiBaseUrl = apiBaseUrl;
        this.clock = clock;
    }

    @Override
    public String lockPlatform() {
        return "claude";
    }

    @Override
    public String accessToken(ClaudeOAuthAccount account) {
        return account.accessToken();
    }

    @Override
    public long expiresAtMs(ClaudeOAuthAccount account) {
        return account.expiresAtMs();
    }

    @Override
    public Future<Optional<ClaudeOAuthAccount>> reread(String accountId) {
        return accounts.claudeOAuth(accountId);
    }

    @Override
    public Future<ClaudeOAuthAccount> refresh(ClaudeOAuthAccount account) {
        if (LegacyValues.isBlank(account.refreshToken())) {
            return Future.failedFuture(new IllegalStateException("No refresh token available"));
        }
        Buffer body = new JsonObject().put("grant_type", "refresh_token").put("refresh_token", account.refreshToken())
                .put("client_id", CLIENT_ID).toBuffer();
        return call(account, body, 0).compose(reply -> store(account, reply));
    }

    private Future<JsonObject> call(ClaudeOAuthAccount account, Buffer body, int index) {
        String url = tokenUrls.get(index);
        return http.post(new OutboundRequest(url, headers(), body, account.proxy()), request -> { })
                .compose(call -> {
                    call.response().resume();
                    return call.response().body().map(payload -> Map.entry(call.response().statusCode(), payload));
                })
                .compose(answer -> {
                    int status = answer.getKey();
                    if (status == 404 && index + 1 < tokenUrls.size()) {
                        return call(account, body, index + 1);
                    }
                    if (status != 200) {
                        return Future.failedFuture(new IllegalStateException("token endpoint answered " + status));
                    }
                    try {
                        JsonObject json = answer.getValue().toJsonObject();
                        if (!(json.getValue("access_token") instanceof String)) {
                            return Future.failedFuture(new IllegalStateException("token answer without access_token"));
                        }
                        return Future.succeededFuture(json);
                    } catch (DecodeException | ClassCastException e) {
                        return Future.failedFuture(new IllegalStateException("token answer is not JSON"));
                    }
                });
    }

    /** The legacy's headers, in its order (fixture 11, upstream seq 117). */
    private static MultiMap headers() {
        return MultiMap.caseInsensitiveMultiMap()
                .add("Accept", "application/json, text/plain, */*")
                .add("Content-Type", "application/json")
                .add("User-Agent", USER_AGENT)
                .add("Accept-Language", "en-US,en;q=0.9")
                .add("Referer", "https://claude.ai/")
                .add("Origin", "https://claude.ai")
                .add("Accept-Encoding", "identity");
    }

    private Future<ClaudeOAuthAccount> store(ClaudeOAuthAccount account, JsonObject reply) {
        String access = reply.getString("access_token");
        String refresh = reply.getValue("refresh_token") instanceof String r && !r.isEmpty() ? r : account.refreshToken();
        long expiresIn = reply.getValue("expires_in") instanceof Number n ? n.longValue() : 3600;
        long now = clock.millis();
        long expiresAt = now + expiresIn * 1000;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("accessToken", accounts.encrypt(SecretCipher.Service.CLAUDE, access));
        fields.put("refreshToken", accounts.encrypt(SecretCipher.Service.CLAUDE, refresh));
        fields.put("expiresAt", String.valueOf(expiresAt));
        fields.put("lastRefreshAt", LegacyClock.iso(clock.instant()));
        fields.put("status", "active");
        fields.put("errorMessage", "");
        ClaudeOAuthAccount refreshed = account.withTokens(access, refresh, expiresAt);
        return accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), fields, List.of())
                .onSuccess(v -> {
                    pool.reloadOAuth();
                    if (ClaudeProfile.allowed(account)) {
                        // the request goes on with the new token; the subscription follows in the background
                        ClaudeProfile.refresh(http, accounts, apiBaseUrl, refreshed, clock)
                                .onSuccess(done -> pool.reloadOAuth())
                                .onFailure(e -> LOG.debugf("profile of account %s not refreshed: %s", account.id(),
                                        e.getMessage()));
                    }
                })
                .map(v -> refreshed);
    }

    /** relay.md §5.5: {@code status: error} and the message; the account leaves the pool. */
    @Override
    public Future<Void> refreshFailed(ClaudeOAuthAccount account, Throwable cause) {
        return accounts.updateFields(Platform.CLAUDE_OAUTH, account.id(), Map.of("status", "error",
                        "errorMessage", "Token refresh failed: " + cause.getMessage()), List.of())
                .compose(v -> pool.reloadOAuth().<Void>mapEmpty())
                .otherwise(e -> null);
    }
}
