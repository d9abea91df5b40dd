package dev.relay.store;

/**
 * A sticky-session mapping's target (redis-keys.md §2.7).
 *
 * @param accountType {@code claude-official}, {@code claude-console}, {@code bedrock}, {@code ccr}, {@code openai},
 *                    {@code openai-responses}, {@code gemini}, {@code gemini-api}; {@code null} when the stored
 *                    value did not say (a bare account id, or the Go proxy's {@code "unknown"}, pitfall P12)
 */
public record SessionMapping(String accountId, String accountType) {
}
