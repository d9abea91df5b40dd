package dev.relay.admin;

import java.time.Instant;
import java.util.Map;

/**
 * A session reader written from the contract alone (redis-keys.md §2.11): the hash must hold {@code username} and
 * {@code loginTime}, and {@code lastActivity || loginTime} must be at most 24 h old.
 */
final class ContractSessionReader {
    private ContractSessionReader() {
    }

    static boolean accepts(Map<String, String> session, Instant now) {
        String username = session.get("username");
        String loginTime = session.get("loginTime");
        if (username == null || username.isEmpty() || loginTime == null || loginTime.isEmpty()) {
            return false;
        }
        String last = session.getOrDefault("lastActivity", "");
        Instant seen = Instant.parse(last.isEmpty() ? loginTime : last);
        return now.toEpochMilli() - seen.toEpochMilli() <= 24L * 3_600_000L;
    }
}
