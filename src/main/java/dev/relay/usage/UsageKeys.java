package dev.relay.usage;

/**
 * The names of a key's own usage hashes (redis-keys.md §2.2), which the recorder writes and the summary reads.
 * Stamps come from {@link dev.relay.store.LegacyClock}.
 */
final class UsageKeys {
    private UsageKeys() {
    }

    /** {@code usage:{keyId}}: the key's lifetime totals. */
    static String totals(String keyId) {
        return "usage:" + keyId;
    }

    /** {@code usage:daily:{keyId}:{tz-date}}. */
    static String daily(String keyId, String tzDate) {
        return "usage:daily:" + keyId + ":" + tzDate;
    }

    /** {@code usage:monthly:{keyId}:{tz-month}}. */
    static String monthly(String keyId, String tzMonth) {
        return "usage:monthly:" + keyId + ":" + tzMonth;
    }

    /** {@code usage:hourly:{keyId}:{tz-hour}}. */
    static String hourly(String keyId, String tzHour) {
        return "usage:hourly:" + keyId + ":" + tzHour;
    }
}
