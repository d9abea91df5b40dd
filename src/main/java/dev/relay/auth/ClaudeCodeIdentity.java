package dev.relay.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The system-prompt part of the {@code claude_code} rule (relay.md §3.7): the prompt must introduce itself as Claude
 * Code or the Agent SDK. Current clients open {@code system} with a billing block
 * ({@code x-anthropic-billing-header: cc_version=…; cc_entrypoint=…;}) and put the identity line in the block after
 * it; older ones, and clients that turn the billing block off, put the identity first (recordings in
 * {@code src/test/resources/claude-code/}).
 *
 * <p>Only the identity block is looked at. The legacy scores every block against the Claude Code prompt templates
 * it bundles; relay bundles no prompt text, which changes with every Claude Code release and which the Agent SDK
 * lets the caller replace (docs/redis-compat.md, "Claude Code identity").
 */
final class ClaudeCodeIdentity {
    static final String BILLING_BLOCK = "x-anthropic-billing-header:";
    /** What the identity block starts with; the first also starts "…, running within the Claude Agent SDK." */
    static final List<String> IDENTITY_LINES = List.of(
            "You are Claude Code, Anthropic's official CLI for Claude",
            "You are a Claude agent, built on Anthropic's Claude Agent SDK",
            "You are an agent for Claude Code, Anthropic's official CLI for Claude");
    private static final int EXCERPT = 32;

    private ClaudeCodeIdentity() {
    }

    static ClientVerdict check(Object system) {
        if (system instanceof String text) {
            return opensWithIdentity(text) ? ClientVerdict.ACCEPTED : notIdentity("system", text);
        }
        if (!(system instanceof JsonArray blocks) || blocks.isEmpty()) {
            return ClientVerdict.refused("no system prompt");
        }
        int index = blockText(blocks, 0) instanceof String first && first.startsWith(BILLING_BLOCK) ? 1 : 0;
        if (index >= blocks.size()) {
            return ClientVerdict.refused("system has the billing block but no identity block after it");
        }
        String label = "system[" + index + "]";
        if (!(blockText(blocks, index) instanceof String text)) {
            return ClientVerdict.refused(label + " is not a text block");
        }
        return opensWithIdentity(text) ? ClientVerdict.ACCEPTED : notIdentity(label, text);
    }

    private static Object blockText(JsonArray blocks, int index) {
        return blocks.getValue(index) instanceof JsonObject block ? block.getValue("text") : null;
    }

    private static boolean opensWithIdentity(String text) {
        String stripped = text.strip();
        return IDENTITY_LINES.stream().anyMatch(stripped::startsWith);
    }

    private static ClientVerdict notIdentity(String label, String text) {
        return ClientVerdict.refused(label + " does not open with a Claude Code or Agent SDK identity line (starts \""
                + ClientVerdict.excerpt(text, EXCERPT) + "\")");
    }
}
