package dev.relay.scheduler;

import dev.relay.failure.RelayFailure;
import dev.relay.failure.RetryHeaders;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The answer when every account that could serve a request sits out a temporary mark ({@code temp_unavailable}):
 * the legacy's no-account status and body shape, but saying that the accounts are cooling down rather than that
 * none supports the model, with {@code retry-after} when the marks carry a TTL.
 */
final class CoolingDown {
    private CoolingDown() {
    }

    /** @param remainingMs each mark's {@code PTTL}; a negative one (no expiry) gives no time */
    static RelayFailure failure(String model, Collection<Long> remainingMs) {
        OptionalLong soonest = remainingMs.stream().mapToLong(Long::longValue).filter(ms -> ms >= 0).min();
        String accounts = model == null ? "Claude accounts are" : "Claude accounts for " + model + " are";
        String message = accounts + " cooling down after an upstream failure";
        if (soonest.isEmpty()) {
            return RelayFailure.serviceError(ClaudeAccountScheduler.NO_ACCOUNT_STATUS, message + "; retry later");
        }
        long seconds = Math.max(1, (soonest.getAsLong() + 999) / 1000);
        return RelayFailure.serviceError(ClaudeAccountScheduler.NO_ACCOUNT_STATUS,
                message + "; retry in " + seconds + " s", Map.of(RetryHeaders.RETRY_AFTER, String.valueOf(seconds)));
    }
}
