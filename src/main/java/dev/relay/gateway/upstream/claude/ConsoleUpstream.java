package dev.relay.gateway.upstream.claude;

import dev.relay.account.AccountStore;
import dev.relay.account.ClaudeConsoleAccount;
import dev.relay.account.ConsoleLikeAccount;
import dev.relay.config.RelayConfig;
import dev.relay.gateway.AccountMark;
import dev.relay.gateway.Credential;
import dev.relay.gateway.Flight;
import dev.relay.gateway.Operation;
import dev.relay.gateway.OutboundRequest;
import dev.relay.gateway.StaticKey;
import dev.relay.gateway.UpstreamAdapter;
import dev.relay.gateway.UpstreamCall;
import dev.relay.gateway.UpstreamHttp;
import dev.relay.scheduler.ClaudeAccountScheduler;
import dev.relay.scheduler.ConsoleAccountPool;
import dev.relay.scheduler.ConsoleEligibility;
import dev.relay.store.AccountHealthMarks;
import dev.relay.store.LegacyValues;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The Claude Console upstream (relay.md §5.3): an account's Anthropic-compatible endpoint with its API key, and the
 * account's state fields in {@code claude_console_account:{id}} (relay.md §7.2). The URL, header and credential rules
 * serve every Console-like account ({@link CcrUpstream} too).
 */
@Singleton
public class ConsoleUpstream implements UpstreamAdapter<ClaudeConsoleAccount> {
    private static final Logger LOG = Logger.getLogger(ConsoleUpstream.class);
    static final String DEFAULT_USER_AGENT = "claude-cli/2.0.52 (external, cli)";

    /**
     * Client headers passed through (utils/headerFilter.js filterForClaude), in the legacy's order; every other
     * {@code anthropic-*} header follows them ({@link #headers}).
     * {@code accept-encoding} is deliberately not forwarded: bodies are read for usage, so they must arrive
     * uncompressed (the legacy decompresses them itself before forwarding).
     */
    static final List<String> FORWARDED = List.of("accept", "x-stainless-retry-count", "x-stainless-timeout",
            "x-stainless-lang", "x-stainless-package-version", "x-stainless-os", "x-stainless-arch",
            "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-helper-method",
            "anthropic-dangerous-direct-browser-access", "anthropic-version", "x-app", "anthropic-beta",
            "accept-language", "sec-fetch-mode", "user-agent", "content-type");
    private static final String MESSAGES_PATH = "/v1/messages";
    private static final String ANTHROPIC_FAMILY = "anthropic-";

    private final UpstreamHttp http;
    private final AccountHealthMarks health;
    private final ConsoleAccountPool pool;
    private final AccountStore accounts;

    /** TTL of the temporary mark after a connection failure (the legacy's 300 s stays for timeouts and 5xx). */
    private final long connectFailureCooldownSeconds;

    @Inject
    public ConsoleUpstream(UpstreamHttp http, AccountHealthMarks health, ConsoleAccountPool pool,
            AccountStore accounts, RelayConfig config) {
        this(http, health, pool, accounts, config.connectFailureCooldownSeconds());
    }

    ConsoleUpstream(UpstreamHttp http, AccountHealthMarks health, ConsoleAccountPool pool, AccountStore accounts,
            long connectFailureCooldownSeconds) {
        this.http = http;
        this.health = health;
        this.pool = pool;
        this.accounts = accounts;
        this.connectFailureCooldownSeconds = Math.max(1, connectFailureCooldownSeconds);
    }

    @Override
    public Future<UpstreamCall> send(ClaudeConsoleAccount account, Flight flight, Operation operation,
            Consumer<HttpClientRequest> sending) {
        String upstreamModel = ConsoleEligibility.mappedModel(account, flight.request().model());
        OutboundRequest outbound = new OutboundRequest(url(account.apiUrl(), operation == Operation.COUNT_TOKENS),
                headers(account, flight.ctx().request().headers()), flight.request().bodyFor(upstreamModel),
                account.proxy());
        return http.post(outbound, credential(account), sending);
    }

    /**
     * Completes (never fails) once the account's state is written and, if the pool snapshot depends on it,
     * reloaded. An account with auto-protection off is marked only when it gave no answer at all.
     */
    @Override
    public Future<Void> mark(ClaudeConsoleAccount account, AccountMark mark) {
        boolean unanswered = mark == AccountMark.UNREACHABLE || mark == AccountMark.TIMED_OUT;
        if (mark == AccountMark.NONE || (account.disableAutoProtection() && !unanswered)) {
            return Future.succeededFuture();
        }
        Future<?> written = switch (mark) {
            case RATE_LIMITED -> health.consoleRateLimited(account.id()).compose(v -> pool.reload());
            case UNAUTHORIZED -> health.consoleUnauthorized(account.id()).compose(v -> pool.reload());
            case OVERLOADED -> health.consoleOverloaded(account.id()).compose(v -> pool.reload());
            // a short cool-down (relay's choice, docs/redis-compat.md): the upstream may be back in seconds
            case UNREACHABLE -> health.markTemporarilyUnavailable(ClaudeAccountScheduler.CONSOLE, account.id(),
                    connectFailureCooldownSeconds);
            default -> health.markTemporarilyUnavailable(ClaudeAccountScheduler.CONSOLE, account.id());
        };
        return quietly(account, mark, written);
    }

    private static Future<Void> quietly(ClaudeConsoleAccount account, AccountMark mark, Future<?> written) {
        return written.otherwise(e -> {
            LOG.warnf("state of account %s after %s not written: %s", account.id(), mark, e.getMessage());
            return null;
        }).mapEmpty();
    }

    @Override
    public void succeeded(ClaudeConsoleAccount account) {
        if (!LegacyValues.isBlank(account.rateLimitStatus()) || !LegacyValues.isBlank(account.overloadStatus())) {
            health.consoleSucceeded(account.id()).onSuccess(lifted -> pool.reload());
        }
    }

    @Override
    public void touch(ClaudeConsoleAccount account, String lastUsedAt) {
        accounts.updateConsoleFields(account.id(), Map.of("lastUsedAt", lastUsedAt), List.of())
                .onFailure(e -> LOG.warnf("lastUsedAt of account %s not written: %s", account.id(), e.getMessage()));
    }

    /** Marks the account as having no count_tokens endpoint (relay.md §5.6). */
    public Future<Void> markCountTokensUnavailable(ClaudeConsoleAccount account, String now) {
        return accounts.updateConsoleFields(account.id(), Map.of("countTokensUnavailable", "true",
                "countTokensUnavailableAt", now), List.of());
    }

    static String url(String apiUrl, boolean countTokens) {
        String base = apiUrl == null ? "" : apiUrl;
        int end = base.length();
        while (end > 0 && base.charAt(end - 1) == '/') {
            end--;
        }
        base = base.substring(0, end);
        boolean hasPath = base.endsWith(MESSAGES_PATH);
        if (countTokens) {
            String root = hasPath ? base.substring(0, base.length() - MESSAGES_PATH.length()) : base;
            return root + MESSAGES_PATH + "/count_tokens";
        }
        return hasPath ? base : base + MESSAGES_PATH;
    }

    static MultiMap headers(ConsoleLikeAccount account, MultiMap client) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        out.set("Content-Type", "application/json");
        out.set("anthropic-version", "2023-06-01");
        // relay.md §5.3: the account's UA (else a default) is only the base; the whitelist copy below puts the
        // client's user-agent over it, so the upstream sees the client's UA whenever it sent one (fixture 04)
        out.set("User-Agent", notBlank(account.userAgent()) ? account.userAgent() : DEFAULT_USER_AGENT);
        for (String name : FORWARDED) {
            String value = client.get(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        // the anthropic-* family is open (Claude Code's gateway guide): a header Anthropic adds tomorrow, or
        // anthropic-workspace-id today, reaches a Console upstream as the client sent it, after the legacy's list
        client.forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(ANTHROPIC_FAMILY) && !out.contains(name)) {
                client.getAll(e.getKey()).forEach(v -> out.add(name, v));
            }
        });
        out.set("Accept-Encoding", "identity");
        return out;
    }

    /** An Anthropic key ({@code sk-ant-}) goes in {@code x-api-key}, any other as a bearer token (relay.md §5.3). */
    static Credential credential(ConsoleLikeAccount account) {
        String key = account.apiKey() == null ? "" : account.apiKey();
        return key.startsWith("sk-ant-") ? new StaticKey("x-api-key", "", key) : StaticKey.bearer(key);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
