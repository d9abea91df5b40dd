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
import org.jboss.logging.Logger;

/**
 * Claude Console accounts on the dashboard (admin-and-postgres.md §2.7; fixture 22): the API key is encrypted as
 * the legacy's Console service encrypts it, and every write keeps {@code shared_claude_console_accounts} in step.
 */
@Path("/admin/claude-console-accounts")
@Consumes(MediaType.WILDCARD)
public class ConsoleAccountsResource {
    private static final Logger LOG = Logger.getLogger(ConsoleAccountsResource.class);
    private static final Platform PLATFORM = Platform.CLAUDE_CONSOLE;

    private final AccountStore accounts;
    private final ApiKeyStore keys;
    private final SecretCipher cipher;
    private final LegacyClock clock;
    private final AccountUsageStats usageStats;
    private final GroupMembership membership;

    public ConsoleAccountsResource(AccountStore accounts, ApiKeyStore keys, Secrets secrets, LegacyClock clock,
            AccountUsageStats usageStats, GroupMembership membership) {
        this.membership = membership;
        this.usageStats = usageStats;
        this.accounts = accounts;
        this.keys = keys;
        this.cipher = new SecretCipher(SecretCipher.Service.CLAUDE_CONSOLE, secrets.encryptionKey());
        this.clock = clock;
    }

    /** {@code groupId}: {@code all}, {@code ungrouped} or a group's id; each account carries its groups. */
    @GET
    public Uni<Response> list(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        if (platform != null && !platform.isEmpty() && !"all".equals(platform) && !"claude-console".equals(platform)) {
            return Uni.createFrom().item(AdminReplies.data(new JsonArray()));
        }
        Instant now = Instant.now();
        return answer(membership.infos().compose(groupInfos -> accounts.allStored(PLATFORM).compose(all -> {
            List<Map<String, String>> stored = all.stream()
                    .filter(a -> GroupMembership.inFilter(groupId, groupInfos.get(a.get("id")))).toList();
            List<String> ids = stored.stream().map(a -> a.get("id")).toList();
            Map<String, String> created = new LinkedHashMap<>();
            stored.forEach(a -> created.put(a.get("id"), a.get("createdAt")));
            return usageStats.of(ids, created).map(usage -> {
                JsonArray list = new JsonArray();
                for (Map<String, String> account : stored) {
                    list.add(ConsoleAccountJson.summary(account, 0, now)
                            .put("groupInfos", groupInfos.getOrDefault(account.get("id"), new JsonArray()))
                            .put("usage", usage.get(account.get("id"))));
                }
                return AdminReplies.data(list);
            });
        })), "Failed to get Claude Console accounts");
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
        Map<String, String> fields = ConsoleAccountForm.create(body, UUID.randomUUID().toString(), LegacyClock.iso(now),
                clock.date(now));
        fields.put("apiKey", cipher.encrypt(fields.get("apiKey")));
        Set<String> groupIds = GroupMembership.wanted(body).orElse(Set.of());
        return answer((membership.check(groupIds, "claude")
                .compose(v -> accounts.create(PLATFORM, fields, "shared".equals(fields.get("accountType"))))
                .compose(v -> membership.join(fields.get("id"), groupIds))
                .map(v -> AdminReplies.data(ConsoleAccountJson.created(fields, body)))).recover(GroupMembership::refused),
                "Failed to create Claude Console account");
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
        return answer(accounts.stored(PLATFORM, id).compose(stored -> {
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
                    .compose(v -> accounts.update(PLATFORM, id, updates, List.of(), pool)).map(found -> found
                    ? AdminReplies.message("Claude Console account updated successfully")
                    : errorOnly(404, "Account not found"));
        }).recover(GroupMembership::refused), "Failed to update Claude Console account");
    }

    /** Unbinds every key bound to the account (as the legacy does), then deletes it and its pool membership. */
    @DELETE
    @Path("/{accountId}")
    public Uni<Response> delete(@PathParam("accountId") String id) {
        return answer(accounts.stored(PLATFORM, id).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(error(500, "Failed to delete Claude Console account", "Account not found"));
            }
            return unbindKeys(id).compose(unbound -> membership.leaveAll(id).map(v -> unbound))
                    .compose(unbound -> accounts.delete(PLATFORM, id).map(v -> {
                String message = "Claude Console账号已成功删除"
                        + (unbound > 0 ? "，" + unbound + " 个 API Key 已切换为共享池模式" : "");
                return AdminReplies.ok(new JsonObject().put("success", true).put("message", message)
                        .put("unboundKeys", unbound));
            }));
        }), "Failed to delete Claude Console account");
    }

    @PUT
    @Path("/{accountId}/toggle")
    public Uni<Response> toggle(@PathParam("accountId") String id) {
        return answer(flip(id, "isActive", false), "Failed to toggle account status");
    }

    @PUT
    @Path("/{accountId}/toggle-schedulable")
    public Uni<Response> toggleSchedulable(@PathParam("accountId") String id) {
        return answer(flip(id, "schedulable", true), "Failed to toggle schedulable status");
    }

    @GET
    @Path("/{accountId}/usage")
    public Uni<Response> usage(@PathParam("accountId") String id) {
        return answer(accounts.stored(PLATFORM, id).map(stored -> {
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
        return answer(accounts.stored(PLATFORM, id).compose(stored -> {
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
            return accounts.update(PLATFORM, id, updates, delete, null)
                    .map(v -> AdminReplies.message("Daily usage reset successfully"));
        }), "Failed to reset daily usage");
    }

    private Future<Response> flip(String id, String field, boolean schedulable) {
        return accounts.stored(PLATFORM, id).compose(stored -> {
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
            return accounts.update(PLATFORM, id, updates, List.of(), null).map(found -> found
                    ? AdminReplies.ok(new JsonObject().put("success", true).put(field, next))
                    : errorOnly(404, "Account not found"));
        });
    }

    /** unbindAccountFromAllKeys: keys bound to the account go back to the shared pool. */
    private Future<Integer> unbindKeys(String accountId) {
        return keys.listIds().compose(ids -> keys.fields(ids, List.of("claudeConsoleAccountId"))).compose(rows -> {
            List<Future<Boolean>> writes = new ArrayList<>();
            String now = LegacyClock.iso(Instant.now());
            for (Map<String, String> row : rows) {
                if (row.get("id") != null && accountId.equals(row.get("claudeConsoleAccountId"))) {
                    writes.add(keys.update(row.get("id"), Map.of("claudeConsoleAccountId", "", "updatedAt", now), List.of()));
                }
            }
            return Future.all(writes).map(done -> writes.size());
        });
    }

    private static Uni<Response> answer(Future<Response> reply, String failure) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin console accounts: %s: %s", failure, e.toString());
            return Future.succeededFuture(error(500, failure, String.valueOf(e.getMessage())));
        }));
    }
}
