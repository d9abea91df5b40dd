package dev.relay.account;

import dev.relay.store.RedisStore;
import dev.relay.store.Replies;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Owns {@code account_groups}, {@code account_group:{id}} and {@code account_group_members:{id}} (§2.6). */
@Singleton
public class AccountGroupStore {
    public static final String GROUPS = "account_groups";
    /** API keys bind to a group with this prefix in their account-id fields. */
    public static final String BINDING_PREFIX = "group:";

    private final RedisStore redis;

    public AccountGroupStore(RedisStore redis) {
        this.redis = redis;
    }

    public static String key(String groupId) {
        return "account_group:" + groupId;
    }

    public static String membersKey(String groupId) {
        return "account_group_members:" + groupId;
    }

    /** The group id of a {@code group:{id}} binding, or empty for any other binding. */
    public static Optional<String> boundGroupId(String accountBinding) {
        if (accountBinding != null && accountBinding.startsWith(BINDING_PREFIX)
                && accountBinding.length() > BINDING_PREFIX.length()) {
            return Optional.of(accountBinding.substring(BINDING_PREFIX.length()));
        }
        return Optional.empty();
    }

    /** The group and its members in one pipelined round trip; empty when the group hash is missing. */
    public Future<Optional<AccountGroup>> group(String id) {
        return redis.batch(List.of(Request.cmd(Command.HGETALL).arg(key(id)),
                Request.cmd(Command.SMEMBERS).arg(membersKey(id)))).map(replies -> {
                    Map<String, String> fields = Replies.hash(replies.get(0));
                    if (fields.isEmpty()) {
                        return Optional.<AccountGroup>empty();
                    }
                    return Optional.of(decode(id, fields, Replies.set(replies.get(1))));
                });
    }

    /** Ids in {@code account_groups}. */
    public Future<Set<String>> groupIds() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(GROUPS)).map(Replies::set);
    }

    /** Every group listed in {@code account_groups} whose hash exists. */
    public Future<List<AccountGroup>> allGroups() {
        return groupIds().compose(ids -> {
            List<Future<Optional<AccountGroup>>> reads = new ArrayList<>();
            ids.forEach(id -> reads.add(group(id)));
            return Future.all(reads).map(all -> {
                List<AccountGroup> groups = new ArrayList<>();
                reads.forEach(f -> f.result().ifPresent(groups::add));
                return groups;
            });
        });
    }

    /** createGroup: the hash first, then the index set, so a reader of the index never sees a missing hash. */
    public Future<Void> create(String id, Map<String, String> fields) {
        return hmset(key(id), fields).compose(v -> redis.send(Request.cmd(Command.SADD).arg(GROUPS).arg(id)))
                .mapEmpty();
    }

    /** updateGroup's HMSET; the caller has checked that the group exists. */
    public Future<Optional<AccountGroup>> update(String id, Map<String, String> fields) {
        return hmset(key(id), fields).compose(v -> group(id));
    }

    /** deleteGroup: hash, members, then the index entry. */
    public Future<Void> delete(String id) {
        return redis.batch(List.of(Request.cmd(Command.DEL).arg(key(id)), Request.cmd(Command.DEL).arg(membersKey(id)),
                Request.cmd(Command.SREM).arg(GROUPS).arg(id))).mapEmpty();
    }

    public Future<Void> addMember(String groupId, String accountId) {
        return redis.send(Request.cmd(Command.SADD).arg(membersKey(groupId)).arg(accountId)).mapEmpty();
    }

    /** removeAccountFromAllGroups: SREM from every group's members set. */
    public Future<Void> removeFromAllGroups(String accountId) {
        return groupIds().compose(ids -> {
            if (ids.isEmpty()) {
                return Future.succeededFuture();
            }
            List<Request> removals = new ArrayList<>();
            ids.forEach(id -> removals.add(Request.cmd(Command.SREM).arg(membersKey(id)).arg(accountId)));
            return redis.batch(removals).mapEmpty();
        });
    }

    private Future<Void> hmset(String key, Map<String, String> fields) {
        Request hset = Request.cmd(Command.HSET).arg(key);
        fields.forEach((field, value) -> hset.arg(field).arg(value));
        return redis.send(hset).mapEmpty();
    }

    private static AccountGroup decode(String id, Map<String, String> fields, Set<String> members) {
        StoredHash h = new StoredHash(fields);
        return new AccountGroup(h.text("id", id), h.text("name"), h.text("platform"), h.text("description"),
                h.text("proxy"), Collections.unmodifiableSet(members), h.raw());
    }
}
