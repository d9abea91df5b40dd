package dev.relay.account;

/**
 * An account of any platform. The fields every platform has are decoded once into {@link #profile()}; the record
 * holds the platform's own fields. The accessors here read the shared ones, so {@code account.id()} or
 * {@code account.priority()} work on every platform.
 */
public sealed interface Account permits ClaudeOAuthAccount, ConsoleLikeAccount, BedrockAccount, GeminiOAuthAccount,
        GeminiApiAccount, OpenAIOAuthAccount, OpenAIResponsesAccount, AzureOpenAIAccount, DroidAccount {

    Platform platform();

    AccountProfile profile();

    default String id() {
        return profile().id();
    }

    default String name() {
        return profile().name();
    }

    default String description() {
        return profile().description();
    }

    default String accountType() {
        return profile().accountType();
    }

    default int priority() {
        return profile().priority();
    }

    default boolean active() {
        return profile().active();
    }

    default String status() {
        return profile().status();
    }

    default boolean schedulable() {
        return profile().schedulable();
    }

    default String proxy() {
        return profile().proxy();
    }

    default String subscriptionExpiresAt() {
        return profile().subscriptionExpiresAt();
    }

    default String errorMessage() {
        return profile().errorMessage();
    }

    default String rateLimitStatus() {
        return profile().rateLimitStatus();
    }

    default String rateLimitedAt() {
        return profile().rateLimitedAt();
    }

    default String lastUsedAt() {
        return profile().lastUsedAt();
    }
}
