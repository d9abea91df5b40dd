package dev.relay.usage;

/**
 * One entry of the price file (relay.md §8.1), USD per token. {@code cacheCreate1h} is the JSON's
 * {@code cache_creation_input_token_cost_above_1hr}, {@code NaN} when the entry has none;
 * {@code deprecationDate} its {@code deprecation_date} ({@code YYYY-MM-DD}), null when it has none.
 */
public record ModelPrice(
        String name,
        double input,
        double output,
        double cacheCreate,
        double cacheCreate1h,
        double cacheRead,
        String provider,
        long maxTokens,
        long maxOutputTokens,
        String deprecationDate) {

    public boolean hasCacheCreate1h() {
        return !Double.isNaN(cacheCreate1h);
    }
}
