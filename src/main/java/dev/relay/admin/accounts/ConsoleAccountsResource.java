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
import java.util.Map;

/** Claude Console accounts on the dashboard (admin-and-postgres.md §2.7; fixture 22). */
@Path("/admin/claude-console-accounts")
public class ConsoleAccountsResource extends ConsoleLikeAccountsResource {
    private static final Kind KIND = new Kind(Platform.CLAUDE_CONSOLE, SecretCipher.Service.CLAUDE_CONSOLE,
            "Claude Console", "Claude Console账号已成功删除", "claudeConsoleAccountId");

    public ConsoleAccountsResource(AccountStore accounts, ApiKeyStore keys, Secrets secrets, LegacyClock clock,
            AccountUsageStats usageStats, GroupMembership membership, ClaudeAccountPool pool) {
        super(KIND, accounts, keys, secrets, clock, usageStats, membership, pool);
    }

    @Override
    protected Map<String, String> createFields(JsonObject body, String id, String now, String today) {
        return ConsoleAccountForm.create(body, id, now, today);
    }

    @Override
    protected JsonObject created(Map<String, String> fields, JsonObject body) {
        return ConsoleAccountJson.created(fields, body);
    }

    @Override
    protected JsonObject summary(Map<String, String> stored, Instant now) {
        return ConsoleAccountJson.summary(stored, 0, now);
    }
}
