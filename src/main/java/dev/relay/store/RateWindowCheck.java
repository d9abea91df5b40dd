package dev.relay.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link RateLimitWindow#check} found, with everything the legacy 429 bodies need (relay.md §3.5).
 *
 * @param requests admitted: the count after this request's INCR; refused: the count as read
 * @param cost the stored cost counter, parsed like JS {@code parseFloat}
 */
public record RateWindowCheck(Outcome outcome, RateWindowLimits limits, long nowMillis, long windowStartMillis,
                              long requests, long tokens, double cost) {

    public enum Outcome { ADMITTED, REQUEST_LIMIT, TOKEN_LIMIT, COST_LIMIT }

    public boolean admitted() {
        return outcome == Outcome.ADMITTED;
    }

    /** {@code windowStart + window}: when the window resets. */
    public Instant resetAt() {
        return Instant.ofEpochMilli(windowStartMillis + limits.windowMillis());
    }

    /** {@code ceil((windowStart + window - now) / 60000)}. */
    public long remainingMinutes() {
        return (long) Math.ceil((windowStartMillis + limits.windowMillis() - nowMillis) / 60000.0);
    }

    /**
     * The legacy 429 JSON body for a refused request, fields in the legacy's order (relay.md §3.5); numbers are
     * {@code Long} when integral so that Jackson prints them as JavaScript would.
     */
    public Map<String, Object> errorBody() {
        if (admitted()) {
            throw new IllegalStateException("admitted requests have no error body");
        }
        long minutes = remainingMinutes();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "Rate limit exceeded");
        switch (outcome) {
            case REQUEST_LIMIT -> {
                body.put("message", "已达到请求次数限制 (" + limits.requestLimit() + " 次)，将在 " + minutes + " 分钟后重置");
                body.put("currentRequests", requests);
                body.put("requestLimit", limits.requestLimit());
            }
            case TOKEN_LIMIT -> {
                body.put("message", "已达到 Token 使用限制 (" + limits.tokenLimit() + " tokens)，将在 " + minutes
                        + " 分钟后重置");
                body.put("currentTokens", tokens);
                body.put("tokenLimit", limits.tokenLimit());
            }
            default -> {
                body.put("message", "已达到费用限制 ($" + LegacyValues.formatNumber(limits.costLimit()) + ")，将在 "
                        + minutes + " 分钟后重置");
                body.put("currentCost", jsNumber(cost));
                body.put("costLimit", jsNumber(limits.costLimit()));
            }
        }
        body.put("resetAt", LegacyClock.iso(resetAt()));
        body.put("remainingMinutes", minutes);
        return body;
    }

    private static Object jsNumber(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
    }
}
