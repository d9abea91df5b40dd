package dev.relay.admin.accounts;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.admin.http.AdminReplies;
import dev.relay.auth.ApiKeyStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The account lists of the platforms relay does not administer yet, and the binding counts: the account
 * page's first screen (§2.1) reads them all. Lists show the stored fields with secrets removed or masked.
 */
@Path("/admin")
public class AccountListsResource {
    private static final Logger LOG = Logger.getLogger(AccountListsResource.class);
    private static final List<String> BINDINGS = List.of("claudeAccountId", "claudeConsoleAccountId", "geminiAccountId",
            "openaiAccountId", "azureOpenaiAccountId", "bedrockAccountId", "droidAccountId", "ccrAccountId");

    private final AccountStore accounts;
    private final ApiKeyStore keys;
    private final AccountUsageStats usageStats;
    private final GroupMembership membership;

    public AccountListsResource(AccountStore accounts, ApiKeyStore keys,
            AccountUsageStats usageStats, GroupMembership membership) {
        this.usageStats = usageStats;
        this.membership = membership;
        this.accounts = accounts;
        this.keys = keys;
    }

    @GET
    @Path("/gemini-accounts")
    public Uni<Response> gemini(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        return list(Platform.GEMINI_OAUTH, "gemini", platform, groupId);
    }

    @GET
    @Path("/gemini-api-accounts")
    public Uni<Response> geminiApi(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        return list(Platform.GEMINI_API, "gemini-api", platform, groupId);
    }

    @GET
    @Path("/openai-accounts")
    public Uni<Response> openai(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        return list(Platform.OPENAI_OAUTH, "openai", platform, groupId);
    }

    @GET
    @Path("/openai-responses-accounts")
    public Uni<Response> openaiResponses(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        return list(Platform.OPENAI_RESPONSES, "openai-responses", platform, groupId);
    }

    @GET
    @Path("/azure-openai-accounts")
    public Uni<Response> azureOpenai(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        return list(Platform.AZURE_OPENAI, "azure_openai", platform, groupId);
    }

    @GET
    @Path("/droid-accounts")
    public Uni<Response> droid(@QueryParam("platform") String platform, @QueryParam("groupId") String groupId) {
        return list(Platform.DROID, "droid", platform, groupId);
    }

    /** Bedrock accounts are JSON strings relay does not list yet: the page shows none (docs/admin-routes.md). */
    @GET
    @Path("/bedrock-accounts")
    public Response bedrock() {
        return AdminReplies.data(new JsonArray());
    }

    @GET
    @Path("/openai-responses-accounts/auto-recovery-configs")
    public Response autoRecoveryConfigs() {
        return AdminReplies.data(new JsonArray());
    }

    /** How many keys (not soft-deleted) bind each account, per binding field. */
    @GET
    @Path("/accounts/binding-counts")
    public Uni<Response> bindingCounts() {
        List<String> fields = new java.util.ArrayList<>(BINDINGS);
        fields.add("isDeleted");
        return answer(keys.listIds().compose(ids -> keys.fields(ids, fields)).map(rows -> {
            JsonObject data = new JsonObject();
            BINDINGS.forEach(field -> data.put(field, new JsonObject()));
            for (Map<String, String> row : rows) {
                if (row.get("id") == null || "true".equals(row.get("isDeleted"))) {
                    continue;
                }
                for (String field : BINDINGS) {
                    String bound = row.get(field);
                    if (bound != null && !bound.isEmpty()) {
                        JsonObject counts = data.getJsonObject(field);
                        counts.put(bound, counts.getInteger(bound, 0) + 1);
                    }
                }
            }
            return AdminReplies.data(data);
        }), "Failed to get binding counts");
    }

    private Uni<Response> list(Platform platform, String name, String filter, String groupId) {
        if (filter != null && !filter.isEmpty() && !"all".equals(filter) && !name.equals(filter)) {
            return Uni.createFrom().item(AdminReplies.data(new JsonArray()));
        }
        return answer(membership.infos().compose(groupInfos -> accounts.allStored(platform).compose(all -> {
            List<Map<String, String>> stored = all.stream()
                    .filter(a -> GroupMembership.inFilter(groupId, groupInfos.get(a.get("id")))).toList();
            Map<String, String> created = new java.util.LinkedHashMap<>();
            stored.forEach(a -> created.put(a.get("id"), a.get("createdAt")));
            return usageStats.of(List.copyOf(created.keySet()), created).map(usage -> {
                JsonArray list = new JsonArray();
                stored.forEach(account -> list.add(StoredAccountJson.view(account)
                        .put("groupInfos", groupInfos.getOrDefault(account.get("id"), new JsonArray()))
                        .put("usage", usage.get(account.get("id")))));
                return AdminReplies.data(list);
            });
        })), "Failed to get accounts");
    }

    private static Uni<Response> answer(Future<Response> reply, String failure) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin account lists: %s: %s", failure, e.toString());
            return Future.succeededFuture(error(500, failure, String.valueOf(e.getMessage())));
        }));
    }
}
