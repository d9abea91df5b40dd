package dev.relay.admin.keys;

import static dev.relay.admin.http.AdminReplies.failure;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.admin.http.AdminReplies;
import dev.relay.admin.http.RequestBody;
import dev.relay.usage.UsageStatsReader;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /admin/api-keys/batch-last-usage} (§2.4): the account each key's newest usage record names, looked up
 * by the recorded type first and then in the legacy's order of types.
 */
@Path("/admin/api-keys/batch-last-usage")
@Consumes(MediaType.WILDCARD)
public class LastUsageResource {
    private static final Map<String, Platform> TYPES = new LinkedHashMap<>();
    private static final Map<String, String> CATEGORIES = Map.of("claude", "claude", "claude-console", "claude",
            "openai", "openai", "openai-responses", "openai", "azure-openai", "openai", "gemini", "gemini",
            "gemini-api", "gemini", "droid", "droid");

    static {
        // the legacy's ACCOUNT_TYPE_PRIORITY
        TYPES.put("openai", Platform.OPENAI_OAUTH);
        TYPES.put("openai-responses", Platform.OPENAI_RESPONSES);
        TYPES.put("azure-openai", Platform.AZURE_OPENAI);
        TYPES.put("claude", Platform.CLAUDE_OAUTH);
        TYPES.put("claude-console", Platform.CLAUDE_CONSOLE);
        TYPES.put("gemini", Platform.GEMINI_OAUTH);
        TYPES.put("gemini-api", Platform.GEMINI_API);
        TYPES.put("droid", Platform.DROID);
    }

    private final UsageStatsReader usage;
    private final AccountStore accounts;

    public LastUsageResource(UsageStatsReader usage, AccountStore accounts) {
        this.usage = usage;
        this.accounts = accounts;
    }

    @POST
    public Uni<Response> lastUsage(@HeaderParam("Content-Type") String type, String raw) {
        Object ids = RequestBody.parse(type, raw).getValue("keyIds");
        if (!(ids instanceof JsonArray keyIds) || keyIds.isEmpty()) {
            return Uni.createFrom().item(failure(400, "keyIds is required and must be a non-empty array", null));
        }
        if (keyIds.size() > 100) {
            return Uni.createFrom().item(failure(400, "Max 100 keys per request", null));
        }
        List<String> list = new ArrayList<>();
        keyIds.forEach(id -> list.add(String.valueOf(id)));
        Future<Response> reply = usage.lastRecords(list).compose(records -> {
            JsonObject data = new JsonObject();
            List<Future<?>> lookups = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String keyId = list.get(i);
                JsonObject record = parse(records.get(i));
                data.putNull(keyId);
                if (record == null || (blank(record.getValue("accountId")) && blank(record.getValue("accountType")))) {
                    continue;
                }
                lookups.add(resolve(record).map(found -> {
                    synchronized (data) {
                        data.put(keyId, found);
                    }
                    return found;
                }));
            }
            return Future.all(lookups).map(done -> AdminReplies.data(data));
        });
        return uni(reply.recover(e -> Future.succeededFuture(
                failure(500, "Failed to get last-usage data", String.valueOf(e.getMessage())))));
    }

    private Future<JsonObject> resolve(JsonObject record) {
        String rawId = record.getValue("accountId") instanceof String s ? s : null;
        List<String> order = new ArrayList<>();
        String recorded = normalize(record.getValue("accountType"));
        if (recorded != null && TYPES.containsKey(recorded)) {
            order.add(recorded);
        }
        String model = String.valueOf(record.getValue("model", "")).toLowerCase();
        if (model.contains("claude") || model.contains("anthropic")) {
            order.add("claude");
            order.add("claude-console");
        }
        TYPES.keySet().forEach(order::add);
        return tryTypes(order.stream().distinct().toList(), 0, rawId).map(found -> found != null ? found
                : new JsonObject().putNull("accountId").put("rawAccountId", rawId).put("accountType", "deleted")
                        .put("accountCategory", "deleted").put("accountName", "已删除")
                        .put("recordedAt", record.getValue("timestamp")))
                .map(found -> found.containsKey("recordedAt") ? found : found.put("recordedAt", record.getValue("timestamp")));
    }

    private Future<JsonObject> tryTypes(List<String> types, int index, String rawId) {
        if (rawId == null || index >= types.size()) {
            return Future.succeededFuture(null);
        }
        String type = types.get(index);
        String id = "openai-responses".equals(type) ? rawId.replaceFirst("^responses:", "")
                : "gemini-api".equals(type) ? rawId.replaceFirst("^api:", "") : rawId;
        return accounts.stored(TYPES.get(type), id).compose(stored -> stored.isEmpty()
                ? tryTypes(types, index + 1, rawId)
                : Future.succeededFuture(new JsonObject().put("accountId", id).put("rawAccountId", rawId)
                        .put("accountType", type).put("accountCategory", CATEGORIES.getOrDefault(type, "other"))
                        .put("accountName", stored.get("name"))));
    }

    private static String normalize(Object type) {
        if (!(type instanceof String t) || t.isEmpty()) {
            return null;
        }
        String lower = t.toLowerCase();
        return switch (lower) {
            case "claude_console" -> "claude-console";
            case "openai_responses", "openai-response" -> "openai-responses";
            case "azure_openai", "azureopenai" -> "azure-openai";
            case "gemini_api" -> "gemini-api";
            case "claude-official" -> "claude";
            default -> lower;
        };
    }

    private static JsonObject parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return new JsonObject(text);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static boolean blank(Object value) {
        return value == null || "".equals(value);
    }
}
