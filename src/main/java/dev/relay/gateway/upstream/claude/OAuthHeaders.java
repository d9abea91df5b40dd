package dev.relay.gateway.upstream.claude;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers of a call to a Claude OAuth account, in the order the legacy sends them (relay.md §5.2.1, fixture 11):
 * its own base headers, the client's whitelisted headers in the client's order, Stainless fingerprint headers
 * re-emitted with canonical casing, then {@code User-Agent} and {@code Accept}; {@code anthropic-beta} always carries
 * {@code oauth-2025-04-20}. Everything else the client sent (its key, cookies, forwarding headers) is dropped.
 */
public final class OAuthHeaders {
    static final String OAUTH_BETA = "oauth-2025-04-20";
    static final String CLAUDE_CODE_BETA = "claude-code-20250219";
    static final String DEFAULT_USER_AGENT = "claude-cli/1.0.119 (external, cli)";
    /** utils/headerFilter.js filterForClaude. */
    static final Set<String> FORWARDED = Set.of("accept", "x-stainless-retry-count", "x-stainless-timeout",
            "x-stainless-lang", "x-stainless-package-version", "x-stainless-os", "x-stainless-arch",
            "x-stainless-runtime", "x-stainless-runtime-version", "x-stainless-helper-method",
            "anthropic-dangerous-direct-browser-access", "anthropic-version", "x-app", "anthropic-beta",
            "accept-language", "sec-fetch-mode", "accept-encoding", "user-agent", "content-type", "connection");
    /** The fingerprint headers and the casing they are re-emitted with, in the legacy's order. */
    static final Map<String, String> STAINLESS = orderedStainless();
    private static final int MIN_FINGERPRINT = 4;
    /** Encodings the gateway can decode; the client's others are not offered upstream (usage is read from bodies). */
    private static final Set<String> DECODABLE = Set.of("gzip", "deflate");

    private OAuthHeaders() {
    }

    private static Map<String, String> orderedStainless() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("x-stainless-retry-count", "X-Stainless-Retry-Count");
        m.put("x-stainless-timeout", "X-Stainless-Timeout");
        m.put("x-stainless-lang", "X-Stainless-Lang");
        m.put("x-stainless-package-version", "X-Stainless-Package-Version");
        m.put("x-stainless-os", "X-Stainless-OS");
        m.put("x-stainless-arch", "X-Stainless-Arch");
        m.put("x-stainless-runtime", "X-Stainless-Runtime");
        m.put("x-stainless-runtime-version", "X-Stainless-Runtime-Version");
        return m;
    }

    /**
     * @param host        the upstream's host (with a non-default port)
     * @param userAgent   the identity to send when the account uses the unified one, else null (the client's, or
     *                    the default, is sent)
     */
    public static MultiMap build(MultiMap client, String host, long contentLength, String accessToken,
            String apiVersion, String model, String userAgent) {
        // name (lower case) → [name as sent, value]; a later put of a known name keeps its position
        LinkedHashMap<String, String[]> h = new LinkedHashMap<>();
        put(h, "host", host);
        put(h, "connection", "keep-alive");
        put(h, "content-type", "application/json");
        put(h, "content-length", String.valueOf(contentLength));
        put(h, "authorization", "Bearer " + accessToken);
        put(h, "anthropic-version", apiVersion);
        for (Map.Entry<String, String> header : client) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (FORWARDED.contains(name) && !"connection".equals(name)) {
                put(h, name, "accept-encoding".equals(name) ? decodable(header.getValue()) : header.getValue());
            }
        }
        if (h.containsKey("accept-encoding") && h.get("accept-encoding")[1] == null) {
            h.remove("accept-encoding");
        }
        canonicalStainless(h);
        String[] clientAgent = h.remove("user-agent");
        String[] accept = h.remove("accept");
        String agent = userAgent != null ? userAgent : clientAgent != null ? clientAgent[1] : DEFAULT_USER_AGENT;
        h.put("user-agent", new String[] {"User-Agent", agent});
        h.put("accept", new String[] {"Accept", accept != null ? accept[1] : "application/json"});
        String[] clientBeta = h.get("anthropic-beta");
        put(h, "anthropic-beta", beta(model, clientBeta == null ? null : clientBeta[1]));
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        h.values().forEach(nameValue -> out.add(nameValue[0], nameValue[1]));
        return out;
    }

    private static void put(LinkedHashMap<String, String[]> h, String name, String value) {
        String[] existing = h.get(name);
        if (existing != null) {
            existing[1] = value;
        } else {
            h.put(name, new String[] {name, value});
        }
    }

    /** With four or more fingerprint headers they move to the end, canonically cased, in the fixed order. */
    private static void canonicalStainless(LinkedHashMap<String, String[]> h) {
        List<String> present = new ArrayList<>();
        for (String name : STAINLESS.keySet()) {
            String[] v = h.get(name);
            if (v != null && v[1] != null && !v[1].isBlank()) {
                present.add(name);
            }
        }
        if (present.size() < MIN_FINGERPRINT) {
            return;
        }
        for (String name : present) {
            String value = h.remove(name)[1];
            h.put(name, new String[] {STAINLESS.get(name), value});
        }
    }

    /** relay.md §5.2.1 {@code _getBetaHeader}. */
    static String beta(String model, String clientBeta) {
        if (clientBeta != null && !clientBeta.isEmpty()) {
            if (clientBeta.contains(OAUTH_BETA)) {
                return clientBeta;
            }
            List<String> parts = new ArrayList<>();
            for (String p : clientBeta.split(",", -1)) {
                parts.add(p.strip());
            }
            int claudeCode = parts.indexOf(CLAUDE_CODE_BETA);
            parts.add(claudeCode >= 0 ? claudeCode + 1 : 0, OAUTH_BETA);
            return String.join(",", parts);
        }
        if (model != null && model.toLowerCase(Locale.ROOT).contains("haiku")) {
            return OAUTH_BETA + ",interleaved-thinking-2025-05-14";
        }
        return CLAUDE_CODE_BETA + "," + OAUTH_BETA + ",interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14";
    }

    /** The client's accepted encodings that the gateway can decode, in its order; null when none. */
    static String decodable(String acceptEncoding) {
        List<String> kept = new ArrayList<>();
        for (String part : acceptEncoding.split(",")) {
            String coding = part.strip();
            String name = coding.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (DECODABLE.contains(name)) {
                kept.add(coding);
            }
        }
        return kept.isEmpty() ? null : String.join(", ", kept);
    }
}
