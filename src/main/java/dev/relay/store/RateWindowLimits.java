package dev.relay.store;

/**
 * An API key's fixed-window limits (apikey fields {@code rateLimitWindow}, {@code rateLimitRequests},
 * {@code tokenLimit}, {@code rateLimitCost}; redis-keys.md §2.8).
 *
 * @param windowMinutes {@code rateLimitWindow}
 * @param requestLimit {@code rateLimitRequests}, 0 = none
 * @param tokenLimit {@code tokenLimit} (legacy keys), 0 = none; when set, the cost limit is not checked
 * @param costLimit {@code rateLimitCost} USD, 0 = none
 * @param fuelActive the key has fuel that has not expired (fuelBalance > 0 and fuelNextExpiresAtMs > now); active
 *                   fuel lifts only the cost limit
 */
public record RateWindowLimits(long windowMinutes, long requestLimit, long tokenLimit, double costLimit,
                               boolean fuelActive) {

    /** The legacy checks the window only when it has a length and at least one limit (§2.8). */
    public boolean active() {
        return windowMinutes > 0 && (requestLimit > 0 || tokenLimit > 0 || costLimit > 0);
    }

    public long windowMillis() {
        return windowMinutes * 60_000L;
    }
}
