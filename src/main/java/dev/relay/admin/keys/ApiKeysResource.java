package dev.relay.admin.keys;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.errorOnly;
import static dev.relay.admin.http.AdminReplies.failure;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.admin.auth.AdminIdentity;
import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.RequestBody;
import dev.relay.auth.ApiKeyStore;
import dev.relay.config.RelayConfig;
import dev.relay.config.Secrets;
import dev.relay.store.ApiKeyHasher;
import dev.relay.store.CostRankIndex;
import dev.relay.store.LegacyClock;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** API keys on the dashboard (admin-and-postgres.md §2.4; fixture 22): create, list, edit, delete, restore. */
@Path("/admin/api-keys")
@Consumes(MediaType.WILDCARD)
public class ApiKeysResource {
    private static final Logger LOG = Logger.getLogger(ApiKeysResource.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> DELETION_FIELDS = List.of("isDeleted", "deletedAt", "deletedBy", "deletedByType");

    private final ApiKeyStore keys;
    private final CostRankIndex costRank;
    private final dev.relay.usage.UsageStatsReader usage;
    private final String encryptionKey;
    private final String prefix;

    public ApiKeysResource(ApiKeyStore keys, CostRankIndex costRank, dev.relay.usage.UsageStatsReader usage,
            Secrets secrets, RelayConfig config) {
        this.keys = keys;
        this.usage = usage;
        this.costRank = costRank;
        this.encryptionKey = secrets.encryptionKey();
        this.prefix = config.security().apiKeyPrefix();
    }

    @GET
    public Uni<Response> list(@QueryParam("page") String page, @QueryParam("pageSize") String pageSize,
            @QueryParam("searchMode") String searchMode, @QueryParam("search") String search,
            @QueryParam("tag") String tag, @QueryParam("isActive") String isActive, @QueryParam("sortBy") String sortBy,
            @QueryParam("sortOrder") String sortOrder, @QueryParam("timeRange") String timeRange) {
        ApiKeyListing.Query query = ApiKeyListing.Query.of(page, pageSize, searchMode, search, tag, isActive, sortBy,
                sortOrder);
        Future<Response> reply = keys.listIds().compose(ids -> keys.fields(ids, ApiKeyListing.META_FIELDS))
                .compose(metas -> {
                    ApiKeyListing.Page result = ApiKeyListing.page(metas, query);
                    return keys.rawAll(result.ids()).map(rows -> {
                        JsonArray items = new JsonArray();
                        rows.stream().filter(row -> !row.isEmpty()).forEach(row -> items.add(listItem(row)));
                        JsonObject data = new JsonObject().put("items", items)
                                .put("pagination", new JsonObject().put("page", result.page())
                                        .put("pageSize", result.pageSize()).put("total", result.total())
                                        .put("totalPages", result.totalPages()))
                                .put("availableTags", new JsonArray(result.availableTags()));
                        JsonObject body = new JsonObject().put("success", true).put("data", data);
                        if (timeRange != null) {
                            body.put("timeRange", timeRange);
                        }
                        return AdminReplies.ok(body);
                    });
                });
        return answer(reply, "Failed to get API keys");
    }

    @GET
    @Path("/used-models")
    public Uni<Response> usedModels() {
        return answer(usage.usedModels().map(models -> AdminReplies.data(new JsonArray(models))),
                "Failed to get used models");
    }

    /** The legacy's cost-rank state per range, as its hourly job leaves it in {@code cost_rank_meta:*}. */
    @GET
    @Path("/cost-sort-status")
    public Uni<Response> costSortStatus() {
        return answer(costRank.meta().map(metas -> {
            JsonObject data = new JsonObject();
            for (int i = 0; i < CostRankIndex.RANGES.size(); i++) {
                Map<String, String> meta = metas.get(i);
                JsonObject range = new JsonObject().put("status", meta.getOrDefault("status", "not_initialized"));
                if (meta.containsKey("lastUpdate")) {
                    range.put("lastUpdate", meta.get("lastUpdate"));
                }
                if (meta.containsKey("keyCount")) {
                    range.put("keyCount", dev.relay.store.LegacyValues.parseInt(meta.get("keyCount")));
                }
                if (meta.containsKey("updateDuration")) {
                    range.put("updateDuration", dev.relay.store.LegacyValues.parseInt(meta.get("updateDuration")));
                }
                data.put(CostRankIndex.RANGES.get(i), range);
            }
            return AdminReplies.data(data);
        }), "Failed to get cost sort status");
    }

    @GET
    @Path("/tags")
    public Uni<Response> tags() {
        return answer(keys.listIds().compose(ids -> keys.fields(ids, List.of("isDeleted", "tags"))).map(metas -> {
            java.util.TreeSet<String> tags = new java.util.TreeSet<>();
            metas.stream().filter(m -> m.get("id") != null && !"true".equals(m.get("isDeleted")))
                    .forEach(m -> ApiKeyJson.array(m.get("tags")).forEach(t -> tags.add(String.valueOf(t))));
            return AdminReplies.data(new JsonArray(List.copyOf(tags)));
        }), "Failed to get API key tags");
    }

    @POST
    public Uni<Response> create(@HeaderParam("Content-Type") String type, String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        Map<String, String> fields;
        try {
            fields = ApiKeyForm.create(body);
        } catch (ApiKeyForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        String rawKey = prefix + HexFormat.of().formatHex(randomBytes(32));
        String now = LegacyClock.iso(Instant.now());
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("id", UUID.randomUUID().toString());
        stored.putAll(fields);
        stored.put("apiKey", ApiKeyHasher.hash(rawKey, encryptionKey));
        stored.put("activatedAt", "true".equals(fields.get("isActivated")) ? now : "");
        stored.put("createdAt", now);
        stored.put("lastUsedAt", "");
        stored.put("createdBy", "admin");
        stored.put("userId", "");
        stored.put("userUsername", "");
        return answer(keys.create(stored).compose(v -> costRank.add(stored.get("id")).otherwiseEmpty())
                .map(v -> AdminReplies.data(ApiKeyJson.created(rawKey, stored))), "Failed to create API key");
    }

    @PUT
    @Path("/{keyId}")
    public Uni<Response> update(@PathParam("keyId") String keyId, @HeaderParam("Content-Type") String type,
            String raw) {
        Map<String, String> updates;
        try {
            updates = ApiKeyForm.update(RequestBody.parse(type, raw), Instant.now());
        } catch (ApiKeyForm.Invalid invalid) {
            return Uni.createFrom().item(errorOnly(400, invalid.getMessage()));
        }
        updates.put("updatedAt", LegacyClock.iso(Instant.now()));
        return answer(keys.update(keyId, updates, List.of()).map(found -> found
                ? AdminReplies.message("API key updated successfully")
                : error(500, "Failed to update API key", "API key not found")), "Failed to update API key");
    }

    @PATCH
    @Path("/{keyId}/expiration")
    public Uni<Response> expiration(@PathParam("keyId") String keyId, @HeaderParam("Content-Type") String type,
            String raw) {
        JsonObject body = RequestBody.parse(type, raw);
        return answer(keys.raw(keyId).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(errorOnly(404, "API key not found"));
            }
            Instant now = Instant.now();
            Map<String, String> updates = new LinkedHashMap<>();
            boolean activateNow = Boolean.TRUE.equals(body.getValue("activateNow"));
            if (activateNow) {
                if (!"activation".equals(stored.get("expirationMode")) || "true".equals(stored.get("isActivated"))) {
                    return Future.succeededFuture(error(400, "Cannot activate",
                            "Key is either already activated or not in activation mode"));
                }
                long days = stored.getOrDefault("activationDays", "").isEmpty() ? 30
                        : dev.relay.store.LegacyValues.parseInt(stored.get("activationDays"));
                updates.put("isActivated", "true");
                updates.put("activatedAt", LegacyClock.iso(now));
                updates.put("expiresAt", LegacyClock.iso(now.plusSeconds(days * 86_400L)));
            } else if (body.containsKey("expiresAt")) {
                Object expiresAt = body.getValue("expiresAt");
                if (dev.relay.admin.http.JsValues.truthy(expiresAt)) {
                    Instant when = ApiKeyForm.parseDate(expiresAt);
                    if (when == null) {
                        return Future.succeededFuture(errorOnly(400, "Invalid expiration date format"));
                    }
                    updates.put("expiresAt", LegacyClock.iso(when));
                    if (!"true".equals(stored.get("isActivated"))) {
                        updates.put("isActivated", "true");
                        updates.put("activatedAt", LegacyClock.iso(now));
                    }
                } else {
                    updates.put("expiresAt", "");
                }
            }
            if (updates.isEmpty()) {
                return Future.succeededFuture(errorOnly(400, "No valid updates provided"));
            }
            JsonObject answered = new JsonObject(new LinkedHashMap<>(updates));
            updates.put("updatedAt", LegacyClock.iso(now));
            return keys.update(keyId, updates, List.of()).map(found -> found
                    ? AdminReplies.ok(new JsonObject().put("success", true)
                            .put("message", "API key expiration updated successfully").put("updates", answered))
                    : errorOnly(404, "API key not found"));
        }), "Failed to update API key expiration");
    }

    /** Soft delete: the key stays for its statistics, disabled and out of the lists and the cost index. */
    @DELETE
    @Path("/{keyId}")
    public Uni<Response> delete(@PathParam("keyId") String keyId, RoutingContext ctx) {
        AdminIdentity admin = AdminIdentity.of(ctx);
        return answer(keys.raw(keyId).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(error(500, "Failed to delete API key", "API key not found"));
            }
            Map<String, String> deletion = new LinkedHashMap<>();
            deletion.put("isDeleted", "true");
            deletion.put("deletedAt", LegacyClock.iso(Instant.now()));
            deletion.put("deletedBy", admin == null ? "admin" : admin.username());
            deletion.put("deletedByType", "admin");
            deletion.put("isActive", "false");
            return keys.update(keyId, deletion, List.of())
                    .compose(v -> keys.forgetHashIndex(stored.getOrDefault("apiKey", "")))
                    .compose(v -> costRank.remove(keyId).otherwiseEmpty())
                    .map(v -> AdminReplies.message("API key deleted successfully"));
        }), "Failed to delete API key");
    }

    @GET
    @Path("/deleted")
    public Uni<Response> deleted() {
        return answer(keys.listIds().compose(keys::rawAll).map(rows -> {
            JsonArray deleted = new JsonArray();
            rows.stream().filter(row -> "true".equals(row.get("isDeleted")))
                    .forEach(row -> deleted.add(ApiKeyJson.typed(row).put("canRestore", true)));
            return AdminReplies.ok(new JsonObject().put("success", true).put("apiKeys", deleted)
                    .put("total", deleted.size()));
        }), "Failed to retrieve deleted API keys");
    }

    @POST
    @Path("/{keyId}/restore")
    public Uni<Response> restore(@PathParam("keyId") String keyId, RoutingContext ctx) {
        AdminIdentity admin = AdminIdentity.of(ctx);
        return answer(keys.raw(keyId).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(failure(404, "API Key 不存在", null));
            }
            if (!"true".equals(stored.get("isDeleted"))) {
                return Future.succeededFuture(failure(400, "该 API Key 未被删除，无需恢复", null));
            }
            Map<String, String> restored = new LinkedHashMap<>();
            restored.put("isActive", "true");
            restored.put("restoredAt", LegacyClock.iso(Instant.now()));
            restored.put("restoredBy", admin == null ? "admin" : admin.username());
            restored.put("restoredByType", "admin");
            Map<String, String> after = new LinkedHashMap<>(stored);
            DELETION_FIELDS.forEach(after::remove);
            after.putAll(restored);
            return keys.update(keyId, restored, DELETION_FIELDS)
                    .compose(v -> keys.indexHash(stored.getOrDefault("apiKey", ""), keyId, stored.get("name")))
                    .compose(v -> costRank.add(keyId).otherwiseEmpty())
                    .map(v -> AdminReplies.ok(new JsonObject().put("success", true).put("message", "API Key 已成功恢复")
                            .put("apiKey", ApiKeyJson.raw(after))));
        }), "恢复 API Key 失败");
    }

    /** Only a soft-deleted key; its usage statistics stay (see docs/admin-routes.md). */
    @DELETE
    @Path("/{keyId}/permanent")
    public Uni<Response> permanentDelete(@PathParam("keyId") String keyId) {
        return answer(keys.raw(keyId).compose(stored -> {
            if (stored.isEmpty()) {
                return Future.succeededFuture(failure(404, "API Key 不存在", null));
            }
            if (!"true".equals(stored.get("isDeleted"))) {
                return Future.succeededFuture(failure(400, "只能彻底删除已经删除的API Key", null));
            }
            return keys.delete(keyId, stored.get("apiKey")).compose(v -> costRank.remove(keyId).otherwiseEmpty())
                    .map(v -> AdminReplies.message("API Key 已彻底删除"));
        }), "彻底删除 API Key 失败");
    }

    /**
     * relay only (the legacy dashboard has no such route): a new raw key for the same id, shown once; the old raw key
     * stops working at once (the legacy's service left it in {@code apikey:hash_map}, pitfall P2).
     */
    @POST
    @Path("/{keyId}/regenerate")
    public Uni<Response> regenerate(@PathParam("keyId") String keyId) {
        String rawKey = prefix + HexFormat.of().formatHex(randomBytes(32));
        return answer(keys.raw(keyId).compose(stored -> {
            if (stored.isEmpty() || "true".equals(stored.get("isDeleted"))) {
                return Future.succeededFuture(errorOnly(404, "API key not found"));
            }
            return keys.replaceHash(keyId, stored.get("apiKey"), ApiKeyHasher.hash(rawKey, encryptionKey),
                    LegacyClock.iso(Instant.now())).map(found -> found
                            ? AdminReplies.data(new JsonObject().put("id", keyId).put("apiKey", rawKey)
                                    .put("name", stored.get("name")))
                            : errorOnly(404, "API key not found"));
        }), "Failed to regenerate API key");
    }

    static JsonObject listItem(Map<String, String> row) {
        return ApiKeyJson.parsed(row).put("ownerDisplayName", row.getOrDefault("userUsername", "").isEmpty()
                ? "Admin" : row.get("userUsername"))
                .put("usage", new JsonObject().put("total", new JsonObject().put("requests", 0).put("tokens", 0)
                        .put("cost", 0).put("formattedCost", "$0.00")));
    }

    private static Uni<Response> answer(Future<Response> reply, String failure) {
        return uni(reply.recover(e -> {
            LOG.errorf("admin api-keys: %s: %s", failure, e.toString());
            return Future.succeededFuture(error(500, failure, String.valueOf(e.getMessage())));
        }));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
