package dev.relay.account;

import java.util.List;
import java.util.Map;

/** A Claude Console or CCR account; the accessors read the {@link ConsoleSettings} both platforms share. */
public sealed interface ConsoleLikeAccount extends Account permits ClaudeConsoleAccount, CcrAccount {

    ConsoleSettings settings();

    default String apiUrl() {
        return settings().apiUrl();
    }

    default String apiKey() {
        return settings().apiKey();
    }

    default Map<String, String> modelMapping() {
        return settings().modelMapping();
    }

    default List<String> modelAllowList() {
        return settings().modelAllowList();
    }

    default String userAgent() {
        return settings().userAgent();
    }

    default int rateLimitDurationMinutes() {
        return settings().rateLimitDurationMinutes();
    }

    default double dailyQuota() {
        return settings().dailyQuota();
    }
}
