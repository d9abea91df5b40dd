package dev.relay.account;

import java.util.Map;

/**
 * A Claude Console (Anthropic-compatible API key) account, {@code claude_console_account:{id}}
 * (redis-keys.md §2.4), with its API key already decrypted.
 *
 * @param overloadStatus {@code overloaded} after a 529, cleared by the legacy after 10 minutes
 */
public record ClaudeConsoleAccount(
        AccountProfile profile,
        ConsoleSettings settings,
        String overloadStatus,
        String overloadedAt,
        int maxConcurrentTasks,
        boolean disableAutoProtection,
        Map<String, String> raw) implements ConsoleLikeAccount {

    @Override
    public Platform platform() {
        return Platform.CLAUDE_CONSOLE;
    }
}
