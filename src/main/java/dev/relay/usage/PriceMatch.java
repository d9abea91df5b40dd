package dev.relay.usage;

/**
 * The result of a price lookup. {@code price} is null when nothing matched (not even by family);
 * {@code family} is set (opus/sonnet/haiku/unknown) only when the exact/fuzzy lookup failed and the family
 * fallback was consulted.
 */
public record PriceMatch(String model, ModelPrice price, String family) {

    public boolean priced() {
        return price != null;
    }

    public boolean byFamily() {
        return family != null;
    }
}
