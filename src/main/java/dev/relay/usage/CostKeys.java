package dev.relay.usage;

/**
 * The one place that formats the cost key family (redis-keys.md §2.3): {@code usage:cost:*},
 * {@code usage:opus:*} and the fuel-pack spend counters. Stamps come from {@link dev.relay.store.LegacyClock}.
 */
public final class CostKeys {
    private CostKeys() {
    }

    public static String daily(String keyId, String tzDate) {
        return "usage:cost:daily:" + keyId + ":" + tzDate;
    }

    public static String monthly(String keyId, String tzMonth) {
        return "usage:cost:monthly:" + keyId + ":" + tzMonth;
    }

    public static String hourly(String keyId, String tzHour) {
        return "usage:cost:hourly:" + keyId + ":" + tzHour;
    }

    public static String total(String keyId) {
        return "usage:cost:total:" + keyId;
    }

    public static String opusWeekly(String keyId, String tzWeek) {
        return "usage:opus:weekly:" + keyId + ":" + tzWeek;
    }

    public static String opusTotal(String keyId) {
        return "usage:opus:total:" + keyId;
    }

    /** Written only by the legacy's fuel-pack Lua script; read here for "billable" spend. */
    public static String fuelUsedDaily(String keyId, String tzDate) {
        return "fuelpack:used:daily:" + keyId + ":" + tzDate;
    }

    public static String fuelUsedTotal(String keyId) {
        return "fuelpack:used:total:" + keyId;
    }
}
