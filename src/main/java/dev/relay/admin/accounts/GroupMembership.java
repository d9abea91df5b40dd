package dev.relay.admin.accounts;

import dev.relay.account.AccountGroup;
import dev.relay.account.AccountGroupStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The group side of an account write, as the legacy's account routes do it: {@code accountType: group} with
 * {@code groupId} (or {@code groupIds}) adds the account to those groups, leaving the type or deleting the account
 * takes it out of every group. Unlike the legacy, the groups are checked before anything is written.
 */
@Singleton
public class GroupMembership {
    /** A named group is missing or of another platform; the message is the legacy group service's. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final AccountGroupStore groups;

    public GroupMembership(AccountGroupStore groups) {
        this.groups = groups;
    }

    /** The group ids a body names when it asks for a group account: {@code groupIds} wins over {@code groupId}. */
    public static Optional<Set<String>> wanted(JsonObject body) {
        if (!"group".equals(body.getValue("accountType"))) {
            return Optional.empty();
        }
        Set<String> ids = new LinkedHashSet<>();
        if (body.getValue("groupIds") instanceof JsonArray list) {
            list.forEach(id -> {
                if (id instanceof String s && !s.isEmpty()) {
                    ids.add(s);
                }
            });
        } else if (body.getValue("groupId") instanceof String id && !id.isEmpty()) {
            ids.add(id);
        }
        return Optional.of(ids);
    }

    /** Fails with {@link Refused} unless every group exists and serves {@code platform} (claude for Console/CCR). */
    public Future<Void> check(Set<String> groupIds, String platform) {
        List<Future<Optional<AccountGroup>>> reads = new ArrayList<>();
        groupIds.forEach(id -> reads.add(groups.group(id)));
        return Future.all(reads).compose(done -> {
            for (Future<Optional<AccountGroup>> read : reads) {
                Optional<AccountGroup> group = read.result();
                if (group.isEmpty()) {
                    return Future.failedFuture(new Refused("分组不存在"));
                }
                if (!platform.equals(group.get().platform())) {
                    return Future.failedFuture(new Refused("账户平台与分组平台不匹配"));
                }
            }
            return Future.succeededFuture();
        });
    }

    public Future<Void> join(String accountId, Set<String> groupIds) {
        List<Future<Void>> adds = new ArrayList<>();
        groupIds.forEach(id -> adds.add(groups.addMember(id, accountId)));
        return Future.all(adds).mapEmpty();
    }

    /** An update that sets {@code accountType}: out of the old groups when it was a group account, into the new. */
    public Future<Void> retype(String accountId, Map<String, String> stored, JsonObject body) {
        if (!(body.getValue("accountType") instanceof String)) {
            return Future.succeededFuture();
        }
        Future<Void> left = "group".equals(stored.get("accountType"))
                ? groups.removeFromAllGroups(accountId) : Future.succeededFuture();
        return left.compose(v -> wanted(body).map(ids -> {
            Future<Void> cleared = body.getValue("groupIds") instanceof JsonArray
                    ? groups.removeFromAllGroups(accountId) : Future.<Void>succeededFuture();
            return cleared.compose(c -> join(accountId, ids));
        }).orElse(Future.succeededFuture()));
    }

    /** Each grouped account id with its groups (newest first) as the lists show them in {@code groupInfos}. */
    public Future<Map<String, JsonArray>> infos() {
        return groups.allGroups().map(all -> {
            Map<String, JsonArray> byAccount = new java.util.HashMap<>();
            all.stream().sorted(java.util.Comparator.comparing((AccountGroup g) -> g.raw().getOrDefault("createdAt", ""))
                    .reversed()).forEach(group -> {
                        JsonObject info = new JsonObject();
                        group.raw().forEach(info::put);
                        info.put("proxy", parsed(group.raw().get("proxy"))).put("memberCount", group.members().size());
                        group.members().forEach(id -> byAccount.computeIfAbsent(id, k -> new JsonArray()).add(info));
                    });
            return byAccount;
        });
    }

    /** The list filter {@code groupId}: absent or {@code all}, {@code ungrouped}, or one group's id. */
    public static boolean inFilter(String groupId, JsonArray groupsOfAccount) {
        if (groupId == null || groupId.isEmpty() || "all".equals(groupId)) {
            return true;
        }
        if ("ungrouped".equals(groupId)) {
            return groupsOfAccount == null || groupsOfAccount.isEmpty();
        }
        return groupsOfAccount != null && groupsOfAccount.stream()
                .anyMatch(g -> g instanceof JsonObject o && groupId.equals(o.getString("id")));
    }

    /** A refused group as a 400 {@code {error}}; any other failure goes on. */
    public static Future<jakarta.ws.rs.core.Response> refused(Throwable failure) {
        return failure instanceof Refused
                ? Future.succeededFuture(dev.relay.admin.http.AdminReplies.errorOnly(400, failure.getMessage()))
                : Future.failedFuture(failure);
    }

    public Future<Void> leaveAll(String accountId) {
        return groups.removeFromAllGroups(accountId);
    }

    private static Object parsed(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return io.vertx.core.json.Json.decodeValue(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
