package dev.relay.admin.groups;

import static dev.relay.admin.http.AdminReplies.errorOnly;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.account.AccountGroup;
import dev.relay.account.AccountGroupStore;
import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.admin.accounts.StoredAccountJson;
import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.RequestBody;
import dev.relay.auth.ApiKeyStore;
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
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Account groups on the dashboard (admin-and-postgres.md §2.16): the legacy's group service checks and messages,
 * the hash before the index on create, and no delete while members or keys still use the group.
 */
@Path("/admin/account-groups")
@Consumes(MediaType.WILDCARD)
public class AccountGroupsResource {
    private static final Logger LOG = Logger.getLogger(AccountGroupsResource.class);
    private static final String MISSING = "分组不存在";
    private static final List<String> BINDINGS = List.of("claudeAccountId", "geminiAccountId", "openaiAccountId",
            "droidAccountId");

    private final AccountGroupStore groups;
    private final AccountStore accounts;
    private final ApiKeyStore keys;

    public AccountGroupsResource(AccountGroupStore groups, AccountStore accounts, ApiKeyStore keys) {
        this.groups = groups;
        this.accounts = accounts;
        this.keys = keys;
    }

    /** Newest first, as the legacy sorts them; {@code platform} filters. */
    @GET
    public Uni<Response> list(@QueryParam("platform") String platform) {
        return answer(500, groups.allGroups().map(all -> {
            JsonArray list = new JsonArray();
            all.stream().filter(g -> platform == null || platform.isEmpty() || platform.equals(g.platform()))
                    .sorted(Comparator.comparing((AccountGroup g) -> g.raw().getOrDefault("createdAt", "")).reversed())
                    .forEach(g -> list.add(withCount(g)));
            return AdminReplies.data(list);
        }));
    }

    @POST
    public Uni<Response> create(@HeaderParam("Content-Type") String type, String raw) {
        Map<String, String> group;
        try {
            group = AccountGroupForm.create(RequestBody.parse(type, raw), UUID.randomUUID().toString(),
                    LegacyClock.iso(Instant.now()));
        } catch (AccountGroupForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        return answer(400, groups.create(group.get("id"), group).map(v -> AdminReplies.data(AccountGroupForm.view(group))));
    }

    @GET
    @Path("/{groupId}")
    public Uni<Response> get(@PathParam("groupId") String id) {
        return answer(500, groups.group(id).map(found -> found
                .map(g -> AdminReplies.data(withCount(g)))
                .orElseGet(() -> errorOnly(404, MISSING))));
    }

    @PUT
    @Path("/{groupId}")
    public Uni<Response> update(@PathParam("groupId") String id, @HeaderParam("Content-Type") String type, String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        return answer(400, groups.group(id).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(errorOnly(400, MISSING));
            }
            Map<String, String> updates;
            try {
                updates = AccountGroupForm.update(body, found.get().platform(), LegacyClock.iso(Instant.now()));
            } catch (AccountGroupForm.Invalid invalid) {
                return Future.succeededFuture(errorOnly(400, invalid.getMessage()));
            }
            return groups.update(id, updates).map(updated -> updated
                    .map(g -> AdminReplies.data(AccountGroupForm.view(g.raw())))
                    .orElseGet(() -> errorOnly(400, MISSING)));
        }));
    }

    @DELETE
    @Path("/{groupId}")
    public Uni<Response> delete(@PathParam("groupId") String id) {
        return answer(400, groups.group(id).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(errorOnly(400, MISSING));
            }
            if (!found.get().members().isEmpty()) {
                return Future.succeededFuture(errorOnly(400, "分组内还有账户，无法删除"));
            }
            return keysUsing(id).compose(bound -> bound
                    ? Future.succeededFuture(errorOnly(400, "还有API Key使用此分组，无法删除"))
                    : groups.delete(id).map(v -> AdminReplies.message("分组删除成功")));
        }));
    }

    /** Each member's stored account, looked up on the group's platform first, secrets removed. */
    @GET
    @Path("/{groupId}/members")
    public Uni<Response> members(@PathParam("groupId") String id) {
        return answer(500, groups.group(id).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(errorOnly(404, MISSING));
            }
            List<Platform> order = lookupOrder(found.get().platform());
            List<Future<Optional<Map<String, String>>>> reads = new ArrayList<>();
            found.get().members().forEach(member -> reads.add(firstStored(member, order, 0)));
            return Future.all(reads).map(done -> {
                JsonArray list = new JsonArray();
                reads.forEach(read -> read.result().ifPresent(stored -> list.add(StoredAccountJson.view(stored))));
                return AdminReplies.data(list);
            });
        }));
    }

    private Future<Optional<Map<String, String>>> firstStored(String id, List<Platform> order, int at) {
        if (at >= order.size()) {
            return Future.succeededFuture(Optional.empty());
        }
        return accounts.stored(order.get(at), id).compose(stored -> stored.isEmpty()
                ? firstStored(id, order, at + 1)
                : Future.succeededFuture(Optional.of(stored)));
    }

    private static List<Platform> lookupOrder(String platform) {
        Set<Platform> order = new LinkedHashSet<>();
        switch (platform == null ? "" : platform) {
            case "droid" -> order.add(Platform.DROID);
            case "gemini" -> order.add(Platform.GEMINI_OAUTH);
            case "openai" -> order.add(Platform.OPENAI_OAUTH);
            default -> order.addAll(List.of(Platform.CLAUDE_OAUTH, Platform.CLAUDE_CONSOLE, Platform.CCR));
        }
        order.addAll(List.of(Platform.CLAUDE_OAUTH, Platform.CLAUDE_CONSOLE, Platform.CCR, Platform.GEMINI_OAUTH,
                Platform.OPENAI_OAUTH, Platform.DROID));
        return List.copyOf(order);
    }

    private Future<Boolean> keysUsing(String groupId) {
        String binding = AccountGroupStore.BINDING_PREFIX + groupId;
        return keys.listIds().compose(ids -> keys.fields(ids, BINDINGS)).map(rows -> rows.stream()
                .anyMatch(row -> row.get("id") != null && BINDINGS.stream().anyMatch(f -> binding.equals(row.get(f)))));
    }

    private static JsonObject withCount(AccountGroup group) {
        return AccountGroupForm.view(group.raw()).put("memberCount", group.members().size());
    }

    private static Uni<Response> answer(int status, Future<Response> reply) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin account groups: %s", e.toString());
            return Future.succeededFuture(errorOnly(status, String.valueOf(e.getMessage())));
        }));
    }
}
