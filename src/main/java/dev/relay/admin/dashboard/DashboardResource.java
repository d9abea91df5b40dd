package dev.relay.admin.dashboard;

import static dev.relay.admin.http.AdminReplies.error;
import static dev.relay.admin.http.AdminReplies.uni;

import dev.relay.account.AccountStore;
import dev.relay.account.Platform;
import dev.relay.admin.dashboard.AccountHealth.Reading;
import dev.relay.admin.http.AdminReplies;
import dev.relay.auth.ApiKeyStore;
import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import dev.relay.usage.UsageStatsReader;
import io.smallrye.mutiny.Uni;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * {@code GET /admin/dashboard} (admin-and-postgres.md §2.3; fixture 21): key and account counts, usage totals, today's
 * figures, averages and the last five minutes. Reads only known keys (pipelined), and like the legacy keeps the
 * answer for 5 s, so a dashboard left open costs Redis little.
 */
@Path("/admin/dashboard")
@jakarta.inject.Singleton
public class DashboardResource {
    private static final Logger LOG = Logger.getLogger(DashboardResource.class);
    private static final long CACHE_MS = 5_000L;
    private static final int METRICS_WINDOW_MINUTES = 5;
    /** The platforms the dashboard counts, with the legacy's key in accountsByPlatform and its reading. */
    private static final Map<Platform, Reading> READINGS = new EnumMap<>(Map.of(
            Platform.CLAUDE_OAUTH, Reading.STRICT_LIMITED, Platform.CLAUDE_CONSOLE, Reading.STRICT_NO_LIMIT,
            Platform.GEMINI_OAUTH, Reading.STRICT_LIMITED, Platform.OPENAI_OAUTH, Reading.LENIENT_NO_LIMIT,
            Platform.CCR, Reading.STRICT_NO_LIMIT, Platform.OPENAI_RESPONSES, Reading.LENIENT_NO_LIMIT,
            Platform.DROID, Reading.STRICT_LIMITED));

    private record Cached(long expiresAt, Response response) {
    }

    private final ApiKeyStore keys;
    private final AccountStore accounts;
    private final UsageStatsReader usage;
    private final LegacyClock clock;
    private final AtomicReference<Cached> cache = new AtomicReference<>();

    public DashboardResource(ApiKeyStore keys, AccountStore accounts, UsageStatsReader usage, LegacyClock clock) {
        this.keys = keys;
        this.accounts = accounts;
        this.usage = usage;
        this.clock = clock;
    }

    @GET
    public Uni<Response> dashboard() {
        Cached cached = cache.get();
        if (cached != null && cached.expiresAt() > System.currentTimeMillis()) {
            return Uni.createFrom().item(cached.response());
        }
        Instant now = Instant.now();
        Future<Response> reply = keys.listIds().compose(ids -> {
            Future<List<Map<String, String>>> metas = keys.fields(ids, List.of("isDeleted", "isActive", "createdAt"));
            Future<List<Map<String, String>>> totals = usage.keyTotals(ids);
            Future<List<Map<String, String>>> daily = usage.keyDaily(ids, clock.date(now));
            Future<List<Map<String, String>>> minutes = usage.minuteMetrics(LegacyClock.minuteBucket(now),
                    METRICS_WINDOW_MINUTES);
            Future<Map<Platform, AccountHealth>> health = accountHealth();
            return CompositeFuture.all(List.of(metas, totals, daily, minutes, health)).map(done -> AdminReplies.data(
                    body(metas.result(), totals.result(), daily.result(), minutes.result(), health.result(), now)));
        });
        return uni(reply.onSuccess(response -> cache.set(new Cached(System.currentTimeMillis() + CACHE_MS, response)))
                .recover(e -> {
                    LOG.errorf("dashboard failed: %s", e.toString());
                    return Future.succeededFuture(error(500, "Failed to get dashboard data", String.valueOf(e.getMessage())));
                }));
    }

    private Future<Map<Platform, AccountHealth>> accountHealth() {
        Map<Platform, AccountHealth> result = new EnumMap<>(Platform.class);
        List<Future<?>> reads = READINGS.entrySet().stream().<Future<?>>map(entry -> accounts.allStored(entry.getKey())
                .onSuccess(stored -> {
                    synchronized (result) {
                        result.put(entry.getKey(), AccountHealth.of(stored, entry.getValue()));
                    }
                })).toList();
        return Future.all(reads).map(done -> result);
    }

    /** Drops the kept answer (tests that change Redis under a running service). */
    public void forget() {
        cache.set(null);
    }

    private JsonObject body(List<Map<String, String>> metas, List<Map<String, String>> totals,
            List<Map<String, String>> daily, List<Map<String, String>> minutes, Map<Platform, AccountHealth> health,
            Instant now) {
        KeyUsage overall = KeyUsage.overview(metas, totals);
        Map<String, AccountHealth> byPlatform = new LinkedHashMap<>();
        AccountHealth none = new AccountHealth(0, 0, 0, 0, 0);
        byPlatform.put("claude", health.getOrDefault(Platform.CLAUDE_OAUTH, none));
        byPlatform.put("claude-console", health.getOrDefault(Platform.CLAUDE_CONSOLE, none));
        byPlatform.put("gemini", health.getOrDefault(Platform.GEMINI_OAUTH, none));
        byPlatform.put("bedrock", none);
        byPlatform.put("openai", health.getOrDefault(Platform.OPENAI_OAUTH, none));
        byPlatform.put("ccr", health.getOrDefault(Platform.CCR, none));
        byPlatform.put("openai-responses", health.getOrDefault(Platform.OPENAI_RESPONSES, none));
        byPlatform.put("droid", health.getOrDefault(Platform.DROID, none));
        AccountHealth droid = byPlatform.get("droid");
        int total = 0;
        int normal = 0;
        int abnormal = droid.abnormal();
        int paused = droid.paused();
        int limited = droid.rateLimited();
        JsonObject platforms = new JsonObject();
        for (Map.Entry<String, AccountHealth> entry : byPlatform.entrySet()) {
            platforms.put(entry.getKey(), entry.getValue().json());
            if (!"droid".equals(entry.getKey())) {
                AccountHealth h = entry.getValue();
                total += h.total();
                normal += h.normal();
                abnormal += h.abnormal();
                paused += h.paused();
                limited += h.rateLimited();
            }
        }
        AccountHealth claude = byPlatform.get("claude");
        AccountHealth console = byPlatform.get("claude-console");
        AccountHealth gemini = byPlatform.get("gemini");
        JsonObject overview = new JsonObject().put("totalApiKeys", overall.keys()).put("activeApiKeys", overall.activeKeys())
                .put("totalAccounts", total).put("normalAccounts", normal).put("abnormalAccounts", abnormal)
                .put("pausedAccounts", paused).put("rateLimitedAccounts", limited).put("accountsByPlatform", platforms)
                .put("activeAccounts", normal + droid.normal())
                .put("totalClaudeAccounts", claude.total() + console.total())
                .put("activeClaudeAccounts", claude.normal() + console.normal())
                .put("rateLimitedClaudeAccounts", claude.rateLimited() + console.rateLimited())
                .put("totalGeminiAccounts", gemini.total()).put("activeGeminiAccounts", gemini.normal())
                .put("rateLimitedGeminiAccounts", gemini.rateLimited());
        overall.putTotals(overview);
        return new JsonObject().put("overview", overview)
                .put("recentActivity", KeyUsage.today(metas, daily, clock.date(now)))
                .put("systemAverages", KeyUsage.averages(metas, totals, now))
                .put("realtimeMetrics", realtime(minutes))
                .put("systemHealth", new JsonObject().put("redisConnected", true)
                        .put("claudeAccountsHealthy", claude.normal() + console.normal() > 0)
                        .put("geminiAccountsHealthy", gemini.normal() > 0).put("droidAccountsHealthy", droid.normal() > 0)
                        .put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0))
                .put("systemTimezone", clock.offsetHours());
    }

    private static JsonObject realtime(List<Map<String, String>> minutes) {
        long requests = 0;
        long tokens = 0;
        for (Map<String, String> minute : minutes) {
            requests += LegacyValues.parseInt(minute.get("requests"));
            tokens += LegacyValues.parseInt(minute.get("totalTokens"));
        }
        return new JsonObject().put("rpm", KeyUsage.round2((double) requests / METRICS_WINDOW_MINUTES))
                .put("tpm", KeyUsage.round2((double) tokens / METRICS_WINDOW_MINUTES))
                .put("windowMinutes", METRICS_WINDOW_MINUTES).put("isHistorical", false);
    }
}
