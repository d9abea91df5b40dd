package dev.relay.auth;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The per-key client allow-list (relay.md §3.7). A request passes when any allowed client's rule accepts it; when
 * none does, the verdict names, per allowed client, the first thing that did not match.
 */
public final class ClientRestriction {
    private static final Pattern GEMINI_CLI = Pattern.compile("^GeminiCLI/v?[\\d.]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern CODEX_CLI = Pattern.compile("^(codex_vscode|codex_cli_rs)/[\\d.]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern FACTORY_CLI = Pattern.compile("factory-cli/\\d+\\.\\d+\\.\\d+", Pattern.CASE_INSENSITIVE);
    private static final int USER_AGENT_EXCERPT = 60;

    private ClientRestriction() {
    }

    /** The check of one request, for {@link ApiKeyAuthenticator.RequestFacts}. */
    public static ApiKeyAuthenticator.ClientCheck of(String path, MultiMap headers, JsonObject body) {
        return new ApiKeyAuthenticator.ClientCheck() {
            @Override
            public boolean allows(List<String> allowedClients) {
                return check(allowedClients).accepted();
            }

            @Override
            public ClientVerdict check(List<String> allowedClients) {
                return verdict(allowedClients, path, headers, body);
            }
        };
    }

    /** Accepted when one of {@code allowedClients} accepts the request; refused with every client's reason. */
    public static ClientVerdict verdict(List<String> allowedClients, String path, MultiMap headers, JsonObject body) {
        List<String> reasons = new ArrayList<>(allowedClients.size());
        for (String client : allowedClients) {
            ClientVerdict verdict = accepts(client, path, headers, body);
            if (verdict.accepted()) {
                return verdict;
            }
            reasons.add(client + ": " + verdict.reason());
        }
        return ClientVerdict.refused(reasons.isEmpty() ? "no allowed client" : String.join("; ", reasons));
    }

    static ClientVerdict accepts(String client, String path, MultiMap headers, JsonObject body) {
        String ua = headers.get("user-agent") == null ? "" : headers.get("user-agent");
        return switch (client) {
            case "claude_code" -> ClaudeCodeClient.check(path, headers, body);
            case "gemini_cli" -> !path.startsWith("/gemini")
                    ? ClientVerdict.refused("path " + ClientVerdict.excerpt(path, USER_AGENT_EXCERPT)
                            + " is not under /gemini")
                    : path.contains("generateContent") && !GEMINI_CLI.matcher(ua).find()
                            ? foreignUserAgent(ua, "GeminiCLI/<version>")
                            : ClientVerdict.ACCEPTED;
            case "codex_cli" -> CODEX_CLI.matcher(ua).find() ? ClientVerdict.ACCEPTED
                    : foreignUserAgent(ua, "codex_cli_rs/<version> or codex_vscode/<version>");
            case "droid_cli" -> FACTORY_CLI.matcher(ua).find() || containsDroid(headers.get("x-factory-client"))
                    ? ClientVerdict.ACCEPTED
                    : foreignUserAgent(ua, "factory-cli/<version> (and x-factory-client names no droid)");
            default -> ClientVerdict.refused("unknown client name \"" + ClientVerdict.excerpt(client, 40) + "\"");
        };
    }

    static ClientVerdict foreignUserAgent(String userAgent, String expected) {
        return ClientVerdict.refused("user-agent \"" + ClientVerdict.excerpt(userAgent, USER_AGENT_EXCERPT)
                + "\" is not " + expected);
    }

    private static boolean containsDroid(String value) {
        return value != null && (value.toLowerCase().contains("droid") || value.toLowerCase().contains("factory-cli"));
    }
}
