package dev.relay.local;

import dev.relay.auth.ApiKeyStore;
import dev.relay.config.Secrets;
import dev.relay.config.ServiceEndpoints;
import dev.relay.store.AdminCredentials;
import dev.relay.store.ApiKeyHasher;
import dev.relay.store.LegacyClock;
import dev.relay.store.RedisStore;
import io.quarkus.runtime.StartupEvent;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * For a local trial (embedded Redis): writes the admin login and, on the very first start, one client API key in
 * the legacy format, and prints how to use them. Does nothing against a shared production Redis, where the
 * legacy's {@code data/init.json} and dashboard own these.
 */
public class LocalTrialBootstrap {
    private static final Logger LOG = Logger.getLogger(LocalTrialBootstrap.class);

    void onStart(@Observes StartupEvent event, ServiceEndpoints endpoints, Secrets secrets, RedisStore redis,
            ApiKeyStore keys, AdminCredentials admin, @ConfigProperty(name = "quarkus.http.port") int port,
            @ConfigProperty(name = "relay.security.api-key-prefix", defaultValue = "cr_") String prefix)
            throws Exception {
        if (!endpoints.localTrial()) {
            return;
        }
        Instant now = Instant.now();
        StringBuilder banner = new StringBuilder("\n\n  relay is running (local trial: embedded Redis and PostgreSQL in ./data)\n");
        banner.append("    gateway      http://localhost:").append(port).append('\n');
        if (!admin.exists().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
            admin.write(secrets.adminUsername(), secrets.adminPassword(), now)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        banner.append("    admin login  ").append(secrets.adminUsername()).append(" / ").append(secrets.adminPassword())
                .append("  (kept in data/local-secrets.properties)\n");
        long existingKeys = redis.send(Request.cmd(Command.HLEN).arg(ApiKeyStore.HASH_MAP))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toLong();
        if (existingKeys == 0) {
            String raw = prefix + randomHex(32);
            keys.create(firstKey(raw, secrets.encryptionKey(), now))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            banner.append("    first API key ").append(raw).append("  (shown once; only its hash is stored)\n");
        } else {
            banner.append("    API keys     ").append(existingKeys).append(" in Redis\n");
        }
        banner.append("    Claude Code  ANTHROPIC_BASE_URL=http://localhost:").append(port)
                .append("/api ANTHROPIC_API_KEY=<key> claude\n")
                .append("    Requests are served by Claude Console accounts (hash claude_console_account:<id>,\n")
                .append("    as the legacy dashboard creates them).\n");
        LOG.info(banner);
    }

    /** The fields the legacy's admin route writes for a key created with no options (fixture 01, minimal). */
    public static Map<String, String> firstKey(String raw, String encryptionKey, Instant now) {
        String iso = LegacyClock.iso(now);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", UUID.randomUUID().toString());
        f.put("name", "first-key");
        f.put("description", "created by the local trial start");
        f.put("apiKey", ApiKeyHasher.hash(raw, encryptionKey));
        for (String zero : new String[] {"tokenLimit", "concurrencyLimit", "rateLimitWindow", "rateLimitRequests",
                "rateLimitCost", "dailyCostLimit", "totalCostLimit", "weeklyOpusCostLimit", "activationDays"}) {
            f.put(zero, "0");
        }
        f.put("isActive", "true");
        for (String empty : new String[] {"claudeAccountId", "claudeConsoleAccountId", "geminiAccountId",
                "openaiAccountId", "azureOpenaiAccountId", "bedrockAccountId", "droidAccountId", "expiresAt",
                "lastUsedAt", "userId", "userUsername", "icon"}) {
            f.put(empty, "");
        }
        f.put("permissions", "all");
        f.put("enableModelRestriction", "false");
        f.put("restrictedModels", "[]");
        f.put("enableClientRestriction", "false");
        f.put("allowedClients", "[]");
        f.put("enableModelPassthrough", "false");
        f.put("tags", "[]");
        f.put("activationUnit", "days");
        f.put("expirationMode", "fixed");
        f.put("isActivated", "true");
        f.put("activatedAt", iso);
        f.put("createdAt", iso);
        f.put("createdBy", "admin");
        return f;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
