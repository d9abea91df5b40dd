package dev.relay.admin.accounts;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.account.SecretCipher;
import dev.relay.auth.ApiKeyStore;
import dev.relay.config.Secrets;
import dev.relay.store.LegacyClock;
import io.vertx.core.json.JsonObject;
import dev.relay.scheduler.ClaudeAccountPool;
import jakarta.ws.rs.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * CCR accounts on the dashboard (admin-and-postgres.md §2.8; fixture 02's ccr step): a Console account's routes and
 * checks, with the CCR service's fields (no task limit, protection or warm-up flags) and its own cipher salt.
 */
@Path("/admin/ccr-accounts")
public class CcrAccountsResource extends ConsoleLikeAccountsResource {
    private static final Kind KIND = new Kind(Platform.CCR, SecretCipher.Service.CCR, "CCR", "CCR账号已成功删除",
            "ccrAccountId");
    private static final List<String> CONSOLE_ONLY = List.of("maxConcurrentTasks", "disableAutoProtection",
            "interceptWarmup");

    public CcrAccountsResource(AccountStore accounts, ApiKeyStore keys, Secrets secrets, LegacyClock clock,
            AccountUsageStats usageStats, GroupMembership membership, ClaudeAccountPool pool) {
        super(KIND, accounts, keys, secrets, clock, usageStats, membership, pool);
    }

    @Override
    protected Map<String, String> createFields(JsonObject body, String id, String now, String today) {
        Map<String, String> fields = ConsoleAccountForm.create(body, id, now, today);
        CONSOLE_ONLY.forEach(fields::remove);
        fields.put("platform", "ccr");
        if (!dev.relay.admin.http.JsValues.truthy(body.getValue("userAgent"))) {
            fields.put("userAgent", "claude-relay-service/1.0.0");
        }
        return fields;
    }

    @Override
    protected JsonObject created(Map<String, String> fields, JsonObject body) {
        JsonObject json = ConsoleAccountJson.created(fields, body);
        CONSOLE_ONLY.forEach(json::remove);
        json.remove("activeTaskCount");
        return json;
    }

    @Override
    protected JsonObject summary(Map<String, String> stored, Instant now) {
        return StoredAccountJson.view(stored);
    }
}
