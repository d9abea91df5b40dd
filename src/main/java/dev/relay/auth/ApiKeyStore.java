package dev.relay.auth;

import dev.relay.store.LegacyClock;
import dev.relay.store.LuaScript;
import dev.relay.store.RedisStore;
import dev.relay.store.Replies;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Owns {@code apikey:{id}} and {@code apikey:hash_map} (redis-keys.md §2.1): the only class that formats those key
 * names. Writes touch only the fields they change (pitfall P3), never the whole hash.
 */
@Singleton
public class ApiKeyStore {
    public static final String HASH_MAP = "apikey:hash_map";
    /** 365 days, re-armed by every legacy write of the hash. */
    public static final long TTL_SECONDS = 31_536_000L;
    private static final String PREFIX = "apikey:";
    private static final LuaScript LOOKUP = LuaScript.fromClasspath("apikey_lookup.lua");
    private static final LuaScript ACTIVATE = LuaScript.fromClasspath("apikey_activate.lua");
    private static final LuaScript UPDATE = LuaScript.fromClasspath("apikey_update.lua");
    private static final String HASH_INDEX_PREFIX = "apikey_hash:";
    private static final int SCAN_COUNT = 1000;

    private final RedisStore redis;

    public ApiKeyStore(RedisStore redis) {
        this.redis = redis;
    }

    public static String key(String id) {
        return PREFIX + id;
    }

    /**
     * Lookup by stored hash in one round trip ({@code apikey_lookup.lua}: HGET of the map, HGETALL of the key). A map
     * entry whose key hash is gone is removed (legacy self-healing). A key whose own {@code apiKey} field is not this
     * hash (a stale entry left by regeneration, pitfall P2) is not returned; the entry itself is left for Node.
     */
    public Future<Optional<ApiKey>> findByHash(String hash) {
        return LOOKUP.call(redis, List.of(HASH_MAP), List.of(hash, PREFIX)).map(reply -> {
            if (reply == null || reply.size() < 2) {
                return Optional.<ApiKey>empty();
            }
            Map<String, String> hashFields = Replies.hash(reply.get(1));
            if (hashFields.isEmpty() || !hash.equals(hashFields.get("apiKey"))) {
                return Optional.<ApiKey>empty();
            }
            return Optional.of(ApiKeyCodec.decode(hashFields));
        });
    }

    /** {@code HGETALL apikey:{id}}; empty when the hash is missing. */
    public Future<Optional<ApiKey>> findById(String id) {
        return redis.send(Request.cmd(Command.HGETALL).arg(key(id))).map(reply -> {
            Map<String, String> fields = Replies.hash(reply);
            return fields.isEmpty() ? Optional.<ApiKey>empty() : Optional.of(ApiKeyCodec.decode(fields));
        });
    }

    /**
     * First-use activation (apiKeyService.js validateApiKey, §2.1 lifecycle): for a key awaiting activation sets
     * {@code isActivated=true}, {@code activatedAt=now}, {@code expiresAt=now + activationDays × (1 h or 1 d)} and
     * {@code lastUsedAt=now}, then re-arms the 365-day TTL, atomically in one round trip
     * ({@code apikey_activate.lua}, which does nothing if the hash was deleted meanwhile). Only those four fields are
     * written (Node rewrites the whole hash, pitfall P3). Returns the key as it is after activation (also when the
     * hash had vanished); a key that is not awaiting activation is returned unchanged without any write.
     */
    public Future<ApiKey> activate(ApiKey key, Instant now) {
        if (!key.awaitingActivation()) {
            return Future.succeededFuture(key);
        }
        long unitMs = "hours".equals(key.activationUnit()) ? 3_600_000L : 86_400_000L;
        String nowIso = LegacyClock.iso(now);
        Map<String, String> changed = new LinkedHashMap<>();
        changed.put("isActivated", "true");
        changed.put("activatedAt", nowIso);
        changed.put("expiresAt", LegacyClock.iso(now.plusMillis(key.activationDays() * unitMs)));
        changed.put("lastUsedAt", nowIso);
        List<String> args = new ArrayList<>(1 + changed.size() * 2);
        args.add(String.valueOf(TTL_SECONDS));
        changed.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Map<String, String> updated = new LinkedHashMap<>(key.raw());
        updated.putAll(changed);
        return ACTIVATE.call(redis, List.of(key(key.id())), args).map(ignored -> ApiKeyCodec.decode(updated));
    }

    /**
     * Writes a new key the safe way round (redis-keys.md §5 ordering 1): {@code apikey:{id}} with its TTL first,
     * then the hash-map entry, pipelined. {@code fields} must contain {@code id} and {@code apiKey} (the hash).
     * The {@code cost_rank:*} entries the admin route also adds are not written here.
     */
    public Future<Void> create(Map<String, String> fields) {
        String id = fields.get("id");
        String hash = fields.get("apiKey");
        if (id == null || id.isEmpty() || hash == null || hash.isEmpty()) {
            return Future.failedFuture(new IllegalArgumentException("id and apiKey are required"));
        }
        Request hset = Request.cmd(Command.HSET).arg(key(id));
        fields.forEach((field, value) -> hset.arg(field).arg(value == null ? "" : value));
        List<Request> requests = new ArrayList<>();
        requests.add(hset);
        requests.add(Request.cmd(Command.EXPIRE).arg(key(id)).arg(TTL_SECONDS));
        requests.add(Request.cmd(Command.HSET).arg(HASH_MAP).arg(hash).arg(id));
        return redis.batch(requests).mapEmpty();
    }

    /**
     * Every key id, as the legacy's scanApiKeyIds lists them: the values of {@code apikey:hash_map} and the ids of
     * {@code apikey:*} hashes (SCAN, never KEYS), in a stable order.
     */
    public Future<List<String>> listIds() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        return redis.send(Request.cmd(Command.HVALS).arg(HASH_MAP)).compose(values -> {
            ids.addAll(Replies.strings(values));
            return scanIds("0", ids);
        }).map(done -> new ArrayList<>(ids));
    }

    private Future<Void> scanIds(String cursor, java.util.Set<String> ids) {
        return redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(PREFIX + "*").arg("COUNT").arg(SCAN_COUNT))
                .compose(reply -> {
                    for (String name : Replies.strings(reply.get(1))) {
                        if (!name.equals(HASH_MAP)) {
                            ids.add(name.substring(PREFIX.length()));
                        }
                    }
                    String next = reply.get(0).toString();
                    return "0".equals(next) ? Future.<Void>succeededFuture() : scanIds(next, ids);
                });
    }

    /** Some fields of many keys in one pipelined round trip (HMGET); a missing key gives a map without {@code id}. */
    public Future<List<Map<String, String>>> fields(List<String> ids, List<String> names) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> reads = new ArrayList<>(ids.size());
        for (String id : ids) {
            Request hmget = Request.cmd(Command.HMGET).arg(key(id));
            names.forEach(hmget::arg);
            reads.add(hmget);
        }
        return redis.batch(reads).map(replies -> {
            List<Map<String, String>> rows = new ArrayList<>(replies.size());
            for (int i = 0; i < replies.size(); i++) {
                Map<String, String> row = new LinkedHashMap<>();
                io.vertx.redis.client.Response values = replies.get(i);
                boolean any = false;
                for (int f = 0; f < names.size(); f++) {
                    io.vertx.redis.client.Response value = values.get(f);
                    if (value != null) {
                        row.put(names.get(f), value.toString());
                        any = true;
                    }
                }
                if (any) {
                    row.put("id", ids.get(i));
                }
                rows.add(row);
            }
            return rows;
        });
    }

    /** Whole hashes of many keys in one pipelined round trip, in order; a missing key gives an empty map. */
    public Future<List<Map<String, String>>> rawAll(List<String> ids) {
        if (ids.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Request> reads = new ArrayList<>(ids.size());
        ids.forEach(id -> reads.add(Request.cmd(Command.HGETALL).arg(key(id))));
        return redis.batch(reads).map(replies -> {
            List<Map<String, String>> rows = new ArrayList<>(replies.size());
            replies.forEach(reply -> rows.add(Replies.hash(reply)));
            return rows;
        });
    }

    /** The whole stored hash; empty when missing. */
    public Future<Map<String, String>> raw(String id) {
        return redis.send(Request.cmd(Command.HGETALL).arg(key(id))).map(Replies::hash);
    }

    /**
     * Sets {@code set}, removes {@code delete} and re-arms the 365-day TTL in one script call, only while the key
     * exists ({@code apikey_update.lua}). False when the key was gone.
     */
    public Future<Boolean> update(String id, Map<String, String> set, List<String> delete) {
        List<String> args = new ArrayList<>(2 + set.size() * 2 + delete.size());
        args.add(String.valueOf(TTL_SECONDS));
        args.add(String.valueOf(set.size()));
        set.forEach((field, value) -> {
            args.add(field);
            args.add(value == null ? "" : value);
        });
        args.addAll(delete);
        return UPDATE.call(redis, List.of(key(id)), args).map(reply -> reply.toLong() == 1);
    }

    /** Soft delete's index side: the legacy forgets {@code apikey_hash:{hash}} (the hash-map entry stays, P2). */
    public Future<Void> forgetHashIndex(String hash) {
        return redis.send(Request.cmd(Command.DEL).arg(HASH_INDEX_PREFIX + hash)).mapEmpty();
    }

    /** Restore's index side: {@code apikey_hash:{hash}} = {@code {id, name, isActive}}, no TTL, as the legacy writes. */
    public Future<Void> indexHash(String hash, String id, String name) {
        return redis.send(Request.cmd(Command.HSET).arg(HASH_INDEX_PREFIX + hash).arg("id").arg(id).arg("name")
                .arg(name == null ? "" : name).arg("isActive").arg("true")).mapEmpty();
    }

    /** Permanent delete: the hash index, the hash-map entry and the key itself, pipelined. */
    public Future<Void> delete(String id, String hash) {
        List<Request> requests = new ArrayList<>();
        if (hash != null && !hash.isEmpty()) {
            requests.add(Request.cmd(Command.DEL).arg(HASH_INDEX_PREFIX + hash));
            requests.add(Request.cmd(Command.HDEL).arg(HASH_MAP).arg(hash));
        }
        requests.add(Request.cmd(Command.DEL).arg(key(id)));
        return redis.batch(requests).mapEmpty();
    }

    /**
     * A new raw key for an existing id (regenerate): the key's {@code apiKey} field and the new hash-map entry, then the
     * old entry removed (the legacy forgets that HDEL, pitfall P2, so its old raw key kept working).
     */
    public Future<Boolean> replaceHash(String id, String oldHash, String newHash, String updatedAt) {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("apiKey", newHash);
        set.put("updatedAt", updatedAt);
        return update(id, set, List.of()).compose(found -> {
            if (!found) {
                return Future.succeededFuture(false);
            }
            List<Request> requests = new ArrayList<>();
            requests.add(Request.cmd(Command.HSET).arg(HASH_MAP).arg(newHash).arg(id));
            if (oldHash != null && !oldHash.isEmpty() && !oldHash.equals(newHash)) {
                requests.add(Request.cmd(Command.HDEL).arg(HASH_MAP).arg(oldHash));
                requests.add(Request.cmd(Command.DEL).arg(HASH_INDEX_PREFIX + oldHash));
            }
            return redis.batch(requests).map(done -> true);
        });
    }
}
