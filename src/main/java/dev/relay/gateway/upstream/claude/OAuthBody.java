package dev.relay.gateway.upstream.claude;

import dev.relay.account.ClaudeOAuthAccount;
import dev.relay.auth.ClaudeUserId;
import dev.relay.store.LegacyValues;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body a Claude OAuth account is called with (relay.md §5.2.2, fixture 11): {@code max_tokens} clamped to the
 * model's limit, {@code ttl} removed from every {@code cache_control}, the Claude Code system prompt put first for
 * clients that are not Claude Code, at most four {@code cache_control} blocks, {@code top_p} dropped, the unified
 * client id, and {@code metadata.user_id}'s session made per account. Works on a copy; key order is kept, so the
 * bytes match the legacy's {@code JSON.stringify}.
 */
public final class OAuthBody {
    public static final String CLAUDE_CODE_PROMPT = "You are Claude Code, Anthropic's official CLI for Claude.";
    /** System texts that make a request "real Claude Code" (the identity block, scored 1.0 by the legacy). */
    static final Set<String> IDENTITY_PROMPTS = Set.of(CLAUDE_CODE_PROMPT,
            "You are Claude Code, Anthropic's official CLI for Claude, running within the Claude Agent SDK.",
            "You are a Claude agent, built on Anthropic's Claude Agent SDK.");
    static final int MAX_CACHE_CONTROL_BLOCKS = 4;
    private static final Pattern UNIFIED_CLIENT = Pattern.compile("^user_[a-f0-9]{64}(_account__session_[a-f0-9-]{36})$");
    private static final String SESSION = "session_";
    private static final String ACCOUNT_MARKER = "_account_";

    private OAuthBody() {
    }

    /**
     * @param maxTokens the model's output limit from the price file (0 or less: unknown, not clamped)
     */
    public static JsonObject shape(JsonObject client, ClaudeOAuthAccount account, ToLongFunction<String> maxTokens) {
        JsonObject body = client.copy();
        clampMaxTokens(body, maxTokens);
        stripTtl(body);
        if (!isClaudeCode(body)) {
            injectPrompt(body);
        }
        capCacheControl(body);
        if (body.getValue("system") instanceof JsonArray system && system.stream().noneMatch(OAuthBody::hasText)) {
            body.remove("system");
        }
        body.remove("top_p");
        if (account.useUnifiedClientId() && !LegacyValues.isBlank(account.unifiedClientId())) {
            unifyClientId(body, account.unifiedClientId());
        }
        rewriteUserId(body, account.id(), accountUuid(account.extInfo()));
        return body;
    }

    /** {@code model} is a string and one {@code system} block is Claude Code's identity prompt. */
    public static boolean isClaudeCode(JsonObject body) {
        if (!(body.getValue("model") instanceof String) || !(body.getValue("system") instanceof JsonArray system)) {
            return false;
        }
        for (Object block : system) {
            if (block instanceof JsonObject b && b.getValue("text") instanceof String text
                    && IDENTITY_PROMPTS.contains(text.strip())) {
                return true;
            }
        }
        return false;
    }

    private static void clampMaxTokens(JsonObject body, ToLongFunction<String> maxTokens) {
        if (!(body.getValue("max_tokens") instanceof Number requested) || requested.doubleValue() == 0) {
            return;
        }
        String model = body.getValue("model") instanceof String m ? m : "claude-sonnet-4-20250514";
        long limit = maxTokens.applyAsLong(model);
        if (limit > 0 && requested.doubleValue() > limit) {
            body.put("max_tokens", limit);
        }
    }

    private static void stripTtl(JsonObject body) {
        if (body.getValue("system") instanceof JsonArray system) {
            system.forEach(OAuthBody::stripTtlOf);
        }
        if (body.getValue("messages") instanceof JsonArray messages) {
            for (Object message : messages) {
                if (message instanceof JsonObject m && m.getValue("content") instanceof JsonArray parts) {
                    parts.forEach(OAuthBody::stripTtlOf);
                }
            }
        }
    }

    private static void stripTtlOf(Object part) {
        if (part instanceof JsonObject p && p.getValue("cache_control") instanceof JsonObject cacheControl) {
            cacheControl.remove("ttl");
        }
    }

    private static void injectPrompt(JsonObject body) {
        JsonObject injected = new JsonObject().put("type", "text").put("text", CLAUDE_CODE_PROMPT)
                .put("cache_control", new JsonObject().put("type", "ephemeral"));
        Object system = body.getValue("system");
        if (system instanceof String text) {
            body.put("system", text.strip().equals(CLAUDE_CODE_PROMPT) ? new JsonArray().add(injected)
                    : new JsonArray().add(injected).add(new JsonObject().put("type", "text").put("text", text)));
        } else if (system instanceof JsonArray blocks) {
            boolean firstIsPrompt = blocks.getValue(0) instanceof JsonObject first
                    && "text".equals(first.getValue("type")) && CLAUDE_CODE_PROMPT.equals(first.getValue("text"));
            if (!firstIsPrompt) {
                JsonArray next = new JsonArray().add(injected);
                for (Object block : blocks) {
                    boolean prompt = block instanceof JsonObject b && "text".equals(b.getValue("type"))
                            && CLAUDE_CODE_PROMPT.equals(b.getValue("text"));
                    if (!prompt) {
                        next.add(block);
                    }
                }
                body.put("system", next);
            }
        } else {
            body.put("system", new JsonArray().add(injected));
        }
    }

    /** Removes {@code cache_control} beyond four: from the earliest message parts first, then from system. */
    private static void capCacheControl(JsonObject body) {
        List<JsonObject> messageParts = new ArrayList<>();
        if (body.getValue("messages") instanceof JsonArray messages) {
            for (Object message : messages) {
                if (message instanceof JsonObject m && m.getValue("content") instanceof JsonArray parts) {
                    for (Object part : parts) {
                        if (part instanceof JsonObject p && p.containsKey("cache_control")) {
                            messageParts.add(p);
                        }
                    }
                }
            }
        }
        List<JsonObject> systemParts = new ArrayList<>();
        if (body.getValue("system") instanceof JsonArray system) {
            for (Object part : system) {
                if (part instanceof JsonObject p && p.containsKey("cache_control")) {
                    systemParts.add(p);
                }
            }
        }
        int excess = messageParts.size() + systemParts.size() - MAX_CACHE_CONTROL_BLOCKS;
        for (int i = 0; excess > 0 && i < messageParts.size(); i++, excess--) {
            messageParts.get(i).remove("cache_control");
        }
        for (int i = 0; excess > 0 && i < systemParts.size(); i++, excess--) {
            systemParts.get(i).remove("cache_control");
        }
    }

    private static boolean hasText(Object block) {
        return block instanceof JsonObject b && b.getValue("text") instanceof String t && !t.isBlank();
    }

    private static void unifyClientId(JsonObject body, String unifiedClientId) {
        if (body.getValue("metadata") instanceof JsonObject metadata && metadata.getValue("user_id") instanceof String id) {
            Matcher m = UNIFIED_CLIENT.matcher(id);
            if (m.matches()) {
                metadata.put("user_id", "user_" + unifiedClientId + m.group(1));
            }
        }
    }

    /**
     * The session part of {@code metadata.user_id} becomes a UUID derived from the account and the client's session,
     * so one conversation keeps one upstream session per account; the account part becomes the account's own
     * {@code account_uuid} when it has one. Both of Claude Code's formats are rewritten in the format received.
     */
    static void rewriteUserId(JsonObject body, String accountId, String accountUuid) {
        if (!(body.getValue("metadata") instanceof JsonObject metadata)
                || !(metadata.getValue("user_id") instanceof String userId)) {
            return;
        }
        ClaudeUserId parsed = userId.startsWith("{") ? ClaudeUserId.parse(userId) : null;
        if (parsed != null && parsed.json()) {
            JsonObject json = new JsonObject(userId);
            json.put("session_id", sessionUuid(accountId, parsed.sessionId()));
            if (accountUuid != null && json.containsKey("account_uuid")) {
                json.put("account_uuid", accountUuid);
            }
            metadata.put("user_id", json.encode());
            return;
        }
        int pivot = userId.lastIndexOf(SESSION);
        if (pivot < 0) {
            return;
        }
        String prefix = userId.substring(0, pivot);
        String tail = userId.substring(pivot + SESSION.length());
        if (accountUuid != null) {
            prefix = withAccountUuid(prefix, accountUuid);
        }
        metadata.put("user_id", prefix + SESSION + sessionUuid(accountId, tail.isEmpty() ? "default" : tail));
    }

    private static String withAccountUuid(String prefix, String accountUuid) {
        int marker = prefix.indexOf(ACCOUNT_MARKER);
        if (marker < 0) {
            String base = prefix.replaceAll("_+$", "");
            return (base.endsWith("_account") ? base : base + "_account") + "_" + accountUuid + "_";
        }
        int valueStart = marker + ACCOUNT_MARKER.length();
        int separator = prefix.indexOf('_', valueStart);
        String tail = separator < 0 ? "_" : prefix.substring(separator);
        if (tail.matches("^_+$")) {
            tail = "_";
        }
        return prefix.substring(0, valueStart) + accountUuid + tail;
    }

    /** UUIDv4-shaped from {@code sha256("<accountId>::<seed>")}: first 16 bytes, version and variant bits set. */
    static String sessionUuid(String accountId, String seed) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest((accountId + "::" + seed)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest[6] = (byte) ((digest[6] & 0x0f) | 0x40);
        digest[8] = (byte) ((digest[8] & 0x3f) | 0x80);
        String hex = HexFormat.of().formatHex(digest, 0, 16);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static String accountUuid(String extInfo) {
        if (LegacyValues.isBlank(extInfo)) {
            return null;
        }
        try {
            Object uuid = new JsonObject(extInfo).getValue("account_uuid");
            return uuid instanceof String s && !s.isBlank() ? s.strip() : null;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }
}
