package dev.relay.account;

import java.util.Optional;

/**
 * The account platforms. {@link #legacyName()} is the legacy's account-type string: what its schedulers write into
 * sticky mappings ({@code unified_*_session_mapping:*}) and {@code temp_unavailable:{type}:{id}} (redis-keys.md
 * §2.5, §2.7) and its PostgreSQL mirror into the account type (admin-and-postgres.md). Usage records label a Claude
 * OAuth account {@code claude} instead (relay.md §6.4).
 */
public enum Platform {
    CLAUDE_OAUTH("claude-official"),
    CLAUDE_CONSOLE("claude-console"),
    CCR("ccr"),
    BEDROCK("bedrock"),
    GEMINI_OAUTH("gemini"),
    GEMINI_API("gemini-api"),
    OPENAI_OAUTH("openai"),
    OPENAI_RESPONSES("openai-responses"),
    AZURE_OPENAI("azure-openai"),
    DROID("droid");

    private final String legacyName;

    Platform(String legacyName) {
        this.legacyName = legacyName;
    }

    public String legacyName() {
        return legacyName;
    }

    /** The account type usage records and billing events carry: {@code claude} for OAuth (relay.md §6.4). */
    public String usageLabel() {
        return this == CLAUDE_OAUTH ? "claude" : legacyName;
    }

    /** The platform a legacy account-type string names, e.g. the {@code accountType} of a sticky mapping. */
    public static Optional<Platform> fromLegacyName(String name) {
        for (Platform platform : values()) {
            if (platform.legacyName.equals(name)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
