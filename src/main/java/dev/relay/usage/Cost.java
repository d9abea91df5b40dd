package dev.relay.usage;

/**
 * USD cost of one request (relay.md §8.2), unrounded JavaScript-style doubles. {@code cacheCreate} is
 * {@code ephemeral5m + ephemeral1h} when the usage had the 5m/1h split. {@code priced} is false when no price
 * (not even a family price) was found.
 */
public record Cost(
        double input,
        double output,
        double cacheCreate,
        double cacheRead,
        double ephemeral5m,
        double ephemeral1h,
        double total,
        boolean longContext,
        boolean priced) {

    public static Cost zero(boolean longContext) {
        return new Cost(0, 0, 0, 0, 0, 0, 0, longContext, false);
    }
}
