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
import dev.relay.store.LegacyClock;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
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
 * The routes Claude Console and CCR accounts share on the dashboard (admin-and-postgres.md §2.7, §2.8; fixtures 02
 * and 22): the API key is encrypted as the platform's legacy service encrypts it, every write keeps the
 * {@code shared_*_accounts} set and the group members in step. A subclass names the platform and its few
 * differences.
 */
@Consumes(MediaType.WILDCARD)
public abstract class ConsoleLikeAccountsResource {
    private static final Logger LOG = Logger.getLogger(ConsoleLikeAccountsResource.class);

    /**
     * @param label      the name in the legacy's messages, e.g. {@code Claude Console}
     * @param deleted    the legacy's delete message, e.g. {@code Claude Console账号已成功删除}
     * @param keyBinding the API-key field that binds a key to such an account
     */
    protected record Kind(Platform platform, SecretCipher.Service service, String label, String deleted,
            String keyBinding) {
    }

    private final Kind kind;

    private final AccountStore accounts;
    private final ApiKeyStore keys;
    private final SecretCipher cipher;
    private final LegacyClock clock;
    private final AccountUsageStats usageStats;
    private final GroupMembership membership;
    private final ClaudeAccountPool pool;

    protected ConsoleLikeAccountsResource(Kind kind, AccountStore accounts, ApiKeyStore keys, Secrets secrets,
            LegacyClock clock, AccountUsageStats usageStats, GroupMembership membership, ClaudeAccountPool pool) {
        this.kind = kind;
        this.membership = membership;
        this.pool = pool;
        this.usageStats = usageStats;
        this.accounts = accounts;
        this.keys = keys;
        this.cipher = new SecretCipher(kind.service(), secrets.encryptionKey());
        this.clock = clock;
    }

    /** {@code groupId}: {@code all}, {@code ungrouped} or a group's id; each account carries its groups. */
    @GET
    public Uni<Response> list(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        if (platform != null && !platform.isEmpty() && !"all".equals(platform) && !kind.platform().legacyName().equals(platform)) {
            return Uni.createFrom().item(AdminReplies.data(new JsonArray()));
        }
        Instant now = Instant.now();
        return answer(membership.infos().compose(groupInfos -> accounts.allStored(kind.platform()).compose(all -> {
            List<Map<String, String>> stored = all.stream()
                    .filter(a -> GroupMembership.inFilter(groupId, groupInfos.get(a.get("id")))).toList();
            List<String> ids = stored.stream().map(a -> a.get("id")).toList();
            Map<String, String> created = new LinkedHashMap<>();
            stored.forEach(a -> created.put(a.get("id"), a.get("createdAt")));
            return usageStats.of(ids, created).map(usage -> {
                JsonArray list = new JsonArray();
                for (Map<String, String> account : stored) {
                    list.add(summary(account, now)
                            .put("groupInfos", groupInfos.getOrDefault(account.get("id"), new JsonArray()))
                            .put("usage", usage.get(account.get("id"))));
                }
                return AdminReplies.data(list);
            });
        })), "Failed to get " + kind.label() + " accounts");
    }

    @POST
    public Uni<Response> create(@HeaderParam("Content-Type") String type, String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        try {
            ConsoleAccountForm.check(body, true);
        } catch (ConsoleAccountForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        Instant now = Instant.now();
        Map<String, String> fields = createFields(body, UUID.randomUUID().toString(), LegacyClock.iso(now),
                clock.date(now));
        fields.put("apiKey", cipher.encrypt(fields.get("apiKey")));
        Set<String> groupIds = GroupMembership.wanted(body).orElse(Set.of());
        return written((membership.check(groupIds, "claude")
                .compose(v -> accounts.create(kind.platform(), fields, "shared".equals(fields.get("accountType"))))
                .compose(v -> membership.join(fields.get("id"), groupIds))
                .map(v -> AdminReplies.data(created(fields, body)))).recover(GroupMembership::refused),
                "Failed to create " + kind.label() + " account");
    }

    @PUT
    @Path("/{accountId}")
    public Uni<Response> update(@PathParam("accountId") String id, @HeaderParam("Content-Type") String type,
            String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        try {
            ConsoleAccountForm.check(body, false);
        } catch (ConsoleAccountForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        Map<String, String> updates = ConsoleAccountForm.update(body);
        if (updates.containsKey("apiKey")) {
            updates.put("apiKey", cipher.encrypt(updates.get("apiKey")));
        }
        return written(accounts.stored(kind.platform(), id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(errorOnly(404, "Account not found"));
            }
            Boolean shared = null;
            Object wanted = body.getValue("accountType");
            if (wanted instanceof String t && !t.isEmpty() && !t.equals(stored.get("accountType"))) {
                updates.put("accountType", t);
                shared = "shared".equals(t);
            }
            updates.put("updatedAt", LegacyClock.iso(Instant.now()));
            Boolean pool = shared;
            return membership.check(GroupMembership.wanted(body).orElse(Set.of()), "claude")
                    .compose(v -> membership.retype(id, stored, body))
                    .compose(v -> accounts.update(kind.platform(), id, updates, List.of(), pool)).map(found -> found
                    ? AdminReplies.message(kind.label() + " account updated successfully")
                    : errorOnly(404, "Account not found"));
        }).recover(GroupMembership::refused), "Failed to update " + kind.label() + " account");
    }

    /** Unbinds every key bound to the account (as the legacy does), then deletes it and its pool membership. */
    @DELETE
    @Path("/{accountId}")
    public Uni<Response> delete(@PathParam("accountId") String id) {
        return written(accounts.stored(kind.platform(), id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(error(500, "Failed to delete " + kind.label() + " account", "Account not found"));
            }
            return unbindKeys(id).compose(unbound -> membership.leaveAll(id).map(v -> unbound))
                    .compose(unbound -> accounts.delete(kind.platform(), id).map(v -> {
                String message = kind.deleted()
                        + (unbound > 0 ? "，" + unbound + " 个 API Key 已切换为共享池模式" : "");
                return AdminReplies.ok(new JsonObject().put("success", true).put("message", message)
                        .put("unboundKeys", unbound));
            }));
        }), "Failed to delete " + kind.label() + " account");
    }

    @PUT
    @Path("/{accountId}/toggle")
    public Uni<Response> toggle(@PathParam("accountId") String id) {
        return written(flip(id, "isActive", false), "Failed to toggle account status");
    }

    @PUT
    @Path("/{accountId}/toggle-schedulable")
    public Uni<Response> toggleSchedulable(@PathParam("accountId") String id) {
        return written(flip(id, "schedulable", true), "Failed to toggle schedulable status");
    }

    @GET
    @Path("/{accountId}/usage")
    public Uni<Response> usage(@PathParam("accountId") String id) {
        return answer(accounts.stored(kind.platform(), id).map(stored -> {
            if (stored.isEmpty()) {
                return errorOnly(404, "Account not found");
            }
            double quota = dev.relay.store.LegacyValues.parseFloat(stored.get("dailyQuota"));
            double used = dev.relay.store.LegacyValues.parseFloat(stored.get("dailyUsage"));
            JsonObject usage = ConsoleAccountJson.zeroUsage();
            return AdminReplies.ok(new JsonObject().put("dailyQuota", quota).put("dailyUsage", used)
                    .put("remainingQuota", quota > 0 ? Math.max(0, quota - used) : null)
                    .put("usagePercentage", quota > 0 ? used / quota * 100 : 0)
                    .put("lastResetDate", stored.getOrDefault("lastResetDate", ""))
                    .put("quotaStoppedAt", stored.getOrDefault("quotaStoppedAt", ""))
                    .put("isQuotaExceeded", quota > 0 && used >= quota)
                    .put("fullUsageStats", new JsonObject().put("accountId", id).put("total", usage.getValue("total"))
                            .put("daily", usage.getValue("daily")).put("monthly", usage.getJsonObject("total").copy())
                            .put("averages", usage.getValue("averages"))));
        }), "Failed to get usage stats");
    }

    /** resetDailyUsage: a new reset date; an account the quota stopped is active and schedulable again. */
    @POST
    @Path("/{accountId}/reset-usage")
    public Uni<Response> resetUsage(@PathParam("accountId") String id) {
        return written(accounts.stored(kind.platform(), id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(AdminReplies.message("Daily usage reset successfully"));
            }
            Map<String, String> updates = new LinkedHashMap<>();
            updates.put("lastResetDate", clock.date(Instant.now()));
            List<String> delete = new ArrayList<>();
            String status = stored.get("status");
            if (!dev.relay.store.LegacyValues.isBlank(stored.get("quotaStoppedAt")) && !"true".equals(stored.get("isActive"))
                    && ("quota_exceeded".equals(status) || "rate_limited".equals(status))) {
                updates.put("isActive", "true");
                updates.put("status", "active");
                updates.put("errorMessage", "");
                updates.put("quotaStoppedAt", "");
                if ("true".equals(stored.get("quotaAutoStopped"))) {
                    ConsoleAccountForm.schedulable(updates, "true");
                }
                if ("rate_limited".equals(status)) {
                    delete.addAll(List.of("rateLimitedAt", "rateLimitStatus", "rateLimitAutoStopped"));
                }
            }
            updates.put("updatedAt", LegacyClock.iso(Instant.now()));
            return accounts.update(kind.platform(), id, updates, delete, null)
                    .map(v -> AdminReplies.message("Daily usage reset successfully"));
        }), "Failed to reset daily usage");
    }

    private Future<Response> flip(String id, String field, boolean schedulable) {
        return accounts.stored(kind.platform(), id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(errorOnly(404, "Account not found"));
            }
            boolean next = schedulable ? "false".equals(stored.get(field)) : !"true".equals(stored.get(field));
            Map<String, String> updates = new LinkedHashMap<>();
            if (schedulable) {
                ConsoleAccountForm.schedulable(updates, String.valueOf(next));
            } else {
                updates.put(field, String.valueOf(next));
            }
            updates.put("updatedAt", LegacyClock.iso(Instant.now()));
            return accounts.update(kind.platform(), id, updates, List.of(), null).map(found -> found
                    ? AdminReplies.ok(new JsonObject().put("success", true).put(field, next))
                    : errorOnly(404, "Account not found"));
        });
    }

    /** unbindAccountFromAllKeys: keys bound to the account go back to the shared pool. */
    private Future<Integer> unbindKeys(String accountId) {
        return keys.listIds().compose(ids -> keys.fields(ids, List.of(kind.keyBinding()))).compose(rows -> {
            List<Future<Boolean>> writes = new ArrayList<>();
            String now = LegacyClock.iso(Instant.now());
            for (Map<String, String> row : rows) {
                if (row.get("id") != null && accountId.equals(row.get(kind.keyBinding()))) {
                    writes.add(keys.update(row.get("id"), Map.of(kind.keyBinding(), "", "updatedAt", now), List.of()));
                }
            }
            return Future.all(writes).map(done -> writes.size());
        });
    }

    /** A write's answer once this instance's Claude pool has re-read the accounts, so the change is used at once. */
    private Uni<Response> written(Future<Response> reply, String failure) {
        return answer(reply.compose(response -> pool.reload().otherwise(e -> null).map(v -> response)), failure);
    }

    private Uni<Response> answer(Future<Response> reply, String failure) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin %s accounts: %s: %s", kind.platform().legacyName(), failure, e.toString());
            return Future.succeededFuture(error(500, failure, String.valueOf(e.getMessage())));
        }));
    }

    /** The hash of a new account, secret still plain. */
    protected abstract Map<String, String> createFields(JsonObject body, String id, String now, String today);

    /** The account the create answer shows. */
    protected abstract JsonObject created(Map<String, String> fields, JsonObject body);

    /** One account of the list, before {@code groupInfos} and {@code usage}. */
    protected abstract JsonObject summary(Map<String, String> stored, Instant now);

    /** resetAccountStatus: active and schedulable again, every error and limit marker gone. */
    @POST
    @Path("/{accountId}/reset-status")
    public Uni<Response> resetStatus(@PathParam("accountId") String id) {
        Map<String, String> updates = new LinkedHashMap<>();
        updates.put("status", "active");
        updates.put("errorMessage", "");
        updates.put("schedulable", "true");
        updates.put("isActive", "true");
        List<String> delete = List.of("rateLimitedAt", "rateLimitStatus", "unauthorizedAt", "unauthorizedCount",
                "overloadedAt", "overloadStatus", "blockedAt", "quotaStoppedAt");
        return written(accounts.update(kind.platform(), id, updates, delete, null).map(found -> found
                ? AdminReplies.data(new JsonObject().put("success", true).put("accountId", id))
                : error(500, "Failed to reset status", "Account not found")), "Failed to reset status");
    }
}
