package dev.relay.admin.accounts;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.errorOnly;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.account.SecretCipher;
import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.RequestBody;
import dev.relay.auth.ApiKeyStore;
import dev.relay.config.Secrets;
import dev.relay.store.AccountHealthMarks;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import dev.relay.scheduler.ClaudeAccountPool;
import org.jboss.logging.Logger;

/**
 * Claude OAuth accounts on the dashboard (admin-and-postgres.md §2.6; fixture 02's claude-oauth step): tokens, email
 * and password encrypted as claudeAccountService.js encrypts them, so relay's unified Claude pool and the legacy
 * both schedule an account made here. Claude OAuth has no shared-pool set: the pool lists {@code claude:account:*}.
 */
@Path("/admin/claude-accounts")
@Consumes(MediaType.WILDCARD)
public class ClaudeAccountsResource {
    private static final Logger LOG = Logger.getLogger(ClaudeAccountsResource.class);
    private static final Platform PLATFORM = Platform.CLAUDE_OAUTH;
    private static final List<String> RESET_FIELDS = List.of("errorMessage", "unauthorizedAt", "blockedAt",
            "rateLimitedAt", "rateLimitStatus", "rateLimitEndAt", "tempErrorAt", "sessionWindowStart",
            "sessionWindowEnd", "rateLimitAutoStopped", "fiveHourAutoStopped", "fiveHourStoppedAt",
            "fiveHourWarningWindow", "fiveHourWarningCount", "fiveHourWarningLastSentAt", "tempErrorAutoStopped",
            "autoStoppedAt", "stoppedReason");

    private final AccountStore accounts;
    private final ApiKeyStore keys;
    private final SecretCipher cipher;
    private final AccountUsageStats usageStats;
    private final GroupMembership membership;
    private final ClaudeAccountPool pool;
    private final AccountHealthMarks health;

    public ClaudeAccountsResource(AccountStore accounts, ApiKeyStore keys, Secrets secrets, AccountUsageStats usageStats,
            GroupMembership membership, AccountHealthMarks health, ClaudeAccountPool pool) {
        this.accounts = accounts;
        this.keys = keys;
        this.cipher = new SecretCipher(SecretCipher.Service.CLAUDE, secrets.encryptionKey());
        this.usageStats = usageStats;
        this.membership = membership;
        this.pool = pool;
        this.health = health;
    }

    /** The stored fields with secrets removed, the account's groups and usage; {@code groupId} filters. */
    @GET
    public Uni<Response> list(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        if (platform != null && !platform.isEmpty() && !"all".equals(platform) && !"claude".equals(platform)) {
            return Uni.createFrom().item(AdminReplies.data(new JsonArray()));
        }
        return answer(membership.infos().compose(groupInfos -> accounts.allStored(PLATFORM).compose(all -> {
            List<Map<String, String>> stored = all.stream()
                    .filter(a -> GroupMembership.inFilter(groupId, groupInfos.get(a.get("id")))).toList();
            Map<String, String> created = new LinkedHashMap<>();
            stored.forEach(a -> created.put(a.get("id"), a.get("createdAt")));
            return usageStats.of(List.copyOf(created.keySet()), created).map(usage -> {
                JsonArray list = new JsonArray();
                stored.forEach(account -> list.add(StoredAccountJson.view(account)
                        .put("groupInfos", groupInfos.getOrDefault(account.get("id"), new JsonArray()))
                        .put("usage", usage.get(account.get("id")))));
                return AdminReplies.data(list);
            });
        })), "Failed to get Claude accounts");
    }

    /** No Claude OAuth usage windows are fetched by relay: an empty map, which the page shows as "no data". */
    @GET
    @Path("/usage")
    public Response usage() {
        return AdminReplies.data(new JsonObject());
    }

    @POST
    public Uni<Response> create(@HeaderParam("Content-Type") String type, String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        try {
            ClaudeAccountForm.check(body, true);
        } catch (ClaudeAccountForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        Map<String, String> fields = ClaudeAccountForm.create(body, UUID.randomUUID().toString(),
                LegacyClock.iso(Instant.now()), cipher);
        Set<String> groupIds = GroupMembership.wanted(body).orElse(Set.of());
        return written(membership.check(groupIds, "claude")
                .compose(v -> accounts.create(PLATFORM, fields, false))
                .compose(v -> membership.join(fields.get("id"), groupIds))
                .map(v -> AdminReplies.data(created(fields, body))).recover(GroupMembership::refused),
                "Failed to create Claude account");
    }

    @PUT
    @Path("/{accountId}")
    public Uni<Response> update(@PathParam("accountId") String id, @HeaderParam("Content-Type") String type,
            String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        try {
            ClaudeAccountForm.check(body, false);
        } catch (ClaudeAccountForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        Map<String, String> updates = ClaudeAccountForm.update(body, cipher, LegacyClock.iso(Instant.now()));
        List<String> delete = body.containsKey("schedulable") ? ClaudeAccountForm.AUTO_STOP : List.of();
        return written(accounts.stored(PLATFORM, id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(errorOnly(404, "Account not found"));
            }
            return membership.check(GroupMembership.wanted(body).orElse(Set.of()), "claude")
                    .compose(v -> membership.retype(id, stored, body))
                    .compose(v -> accounts.update(PLATFORM, id, updates, delete, null)).map(found -> found
                            ? AdminReplies.message("Claude account updated successfully")
                            : errorOnly(404, "Account not found"));
        }).recover(GroupMembership::refused), "Failed to update Claude account");
    }

    /** Unbinds the keys bound to the account, leaves its groups, then deletes it. */
    @DELETE
    @Path("/{accountId}")
    public Uni<Response> delete(@PathParam("accountId") String id) {
        return written(accounts.stored(PLATFORM, id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(error(500, "Failed to delete Claude account", "Account not found"));
            }
            return unbindKeys(id).compose(unbound -> membership.leaveAll(id).map(v -> unbound))
                    .compose(unbound -> accounts.delete(PLATFORM, id).map(v -> {
                        String message = "Claude账号已成功删除"
                                + (unbound > 0 ? "，" + unbound + " 个 API Key 已切换为共享池模式" : "");
                        return AdminReplies.ok(new JsonObject().put("success", true).put("message", message)
                                .put("unboundKeys", unbound));
                    }));
        }), "Failed to delete Claude account");
    }

    @PUT
    @Path("/{accountId}/toggle-schedulable")
    public Uni<Response> toggleSchedulable(@PathParam("accountId") String id) {
        return written(accounts.stored(PLATFORM, id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(errorOnly(404, "Account not found"));
            }
            boolean next = "false".equals(stored.get("schedulable"));
            Map<String, String> updates = Map.of("schedulable", String.valueOf(next),
                    "updatedAt", LegacyClock.iso(Instant.now()));
            return accounts.update(PLATFORM, id, updates, ClaudeAccountForm.AUTO_STOP, null).map(found -> found
                    ? AdminReplies.ok(new JsonObject().put("success", true).put("schedulable", next))
                    : errorOnly(404, "Account not found"));
        }), "Failed to toggle schedulable status");
    }

    /** resetAccountStatus: schedulable, every error and stop marker gone, the error counters deleted. */
    @POST
    @Path("/{accountId}/reset-status")
    public Uni<Response> resetStatus(@PathParam("accountId") String id) {
        return written(accounts.stored(PLATFORM, id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(error(500, "Failed to reset status", "Account not found"));
            }
            String status = LegacyValues.isBlank(stored.get("accessToken")) ? "created" : "active";
            return accounts.update(PLATFORM, id, Map.of("status", status, "schedulable", "true"), RESET_FIELDS, null)
                    .compose(found -> health.clearErrorCounters(id))
                    .map(v -> AdminReplies.data(new JsonObject().put("success", true).put("account", new JsonObject()
                            .put("id", id).put("name", stored.get("name")).put("status", status)
                            .put("schedulable", true))));
        }), "Failed to reset status");
    }

    /** The create answer: the plain email, parsed proxy and scopes, and the expiry fields as the legacy names them. */
    private static JsonObject created(Map<String, String> f, JsonObject body) {
        JsonObject oauth = body.getJsonObject("claudeAiOauth");
        String subscription = f.get("subscriptionExpiresAt");
        String tokenExpiry = f.get("expiresAt");
        return new JsonObject().put("id", f.get("id")).put("name", f.get("name")).put("description", f.get("description"))
                .put("email", body.getValue("email") == null ? "" : body.getValue("email")).put("isActive", true)
                .put("proxy", body.getValue("proxy")).put("accountType", f.get("accountType"))
                .put("platform", f.get("platform"))
                .put("priority", body.getValue("priority") instanceof Number n ? n : 50)
                .put("status", f.get("status")).put("createdAt", f.get("createdAt"))
                .put("expiresAt", subscription.isEmpty() ? null : subscription)
                .put("subscriptionExpiresAt", subscription.isEmpty() ? null : subscription)
                .put("scopes", oauth == null ? new JsonArray() : oauth.getJsonArray("scopes"))
                .put("autoStopOnWarning", "true".equals(f.get("autoStopOnWarning")))
                .put("useUnifiedUserAgent", "true".equals(f.get("useUnifiedUserAgent")))
                .put("useUnifiedClientId", "true".equals(f.get("useUnifiedClientId")))
                .put("unifiedClientId", f.getOrDefault("unifiedClientId", ""))
                .put("extInfo", f.get("extInfo").isEmpty() ? null : Json.decodeValue(f.get("extInfo")))
                .put("interceptWarmup", "true".equals(f.get("interceptWarmup")))
                .put("tokenExpiresAt", tokenExpiry.isEmpty() ? null : tokenExpiry);
    }

    /** unbindAccountFromAllKeys(id, 'claude'): keys bound to the account go back to the shared pool. */
    private Future<Integer> unbindKeys(String accountId) {
        return keys.listIds().compose(ids -> keys.fields(ids, List.of("claudeAccountId"))).compose(rows -> {
            List<Future<Boolean>> writes = new ArrayList<>();
            String now = LegacyClock.iso(Instant.now());
            for (Map<String, String> row : rows) {
                if (row.get("id") != null && accountId.equals(row.get("claudeAccountId"))) {
                    writes.add(keys.update(row.get("id"), Map.of("claudeAccountId", "", "updatedAt", now), List.of()));
                }
            }
            return Future.all(writes).map(done -> writes.size());
        });
    }

    /** A write's answer once this instance's Claude pool has re-read the accounts, so the change is used at once. */
    private Uni<Response> written(Future<Response> reply, String failure) {
        return answer(reply.compose(response -> pool.reload().otherwise(e -> null).map(v -> response)), failure);
    }

    private static Uni<Response> answer(Future<Response> reply, String failure) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin claude accounts: %s: %s", failure, e.toString());
            return Future.succeededFuture(error(500, failure, String.valueOf(e.getMessage())));
        }));
    }
}
