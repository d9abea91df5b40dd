package dev.relay.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.relay.failure.RelayFailure;
import dev.relay.store.ClaudeRelaySettings;
import dev.relay.store.ConcurrencyLeases;
import dev.relay.store.LegacyClock;
import dev.relay.store.PortalUsers;
import dev.relay.store.RateLimitWindow;
import dev.relay.store.RedisClients;
import dev.relay.store.RedisStore;
import dev.relay.usage.SpendCounters;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With Redis unreachable the chain answers a retryable 503 ("storage unavailable", Retry-After) instead of hanging,
 * leaking or the legacy's 500 "Authentication error" (docs/redis-compat.md).
 */
class ApiKeyAuthenticatorOutageTest {

    @Test
    void anUnreachableRedisIsARetryableStorageUnavailable() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        Vertx vertx = Vertx.vertx();
        try {
            RedisStore down = new RedisStore(Redis.createClient(vertx,
                    RedisClients.options("redis://127.0.0.1:" + deadPort + "/0", 2)));
            ApiKeyAuthenticator auth = new ApiKeyAuthenticator(new ApiKeyStore(down), new ConcurrencyLeases(down),
                    new RateLimitWindow(down), new SpendCounters(down, new LegacyClock(8, ZoneOffset.UTC)),
                    new PortalUsers(down), new ClaudeRelaySettings(down), new ConcurrencyQueue(new ConcurrencyLeases(down), new dev.relay.store.RequestQueue(down), vertx), "fixture-encryption-key-32-bytes!", "cr_",
                    Clock.systemUTC(), ZoneOffset.UTC);
            var facts = new ApiKeyAuthenticator.RequestFacts("cr_" + "a".repeat(64), "/api/v1/messages", false,
                    "claude-sonnet-4-20250514", allowed -> true, () -> false, () -> { });
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> auth.authenticate(facts).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof RelayFailure, String.valueOf(e.getCause()));
            RelayFailure failure = (RelayFailure) e.getCause();
            assertEquals(503, failure.status());
            assertEquals("error", failure.body().getString("type"));
            assertEquals("api_error", failure.body().getJsonObject("error").getString("type"));
            assertEquals("Storage unavailable, retry shortly", failure.body().getJsonObject("error").getString("message"));
            assertEquals(String.valueOf(RelayFailure.STORAGE_RETRY_AFTER_SECONDS), failure.headers().get("Retry-After"));
            assertTrue(!down.availability().reachable(), "the outage is known");
        } finally {
            vertx.close();
        }
    }
}
