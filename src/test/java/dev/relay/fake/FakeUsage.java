package dev.relay.fake;

/**
 * The usage block the fake upstream reports. {@link #FIXTURE} is the default of the capture's mock upstream
 * (fixtures/INDEX-relay.md: input 1200, output 345, cache creation 200 = 5m 150 + 1h 50, cache read 3000).
 *
 * @param breakdown whether the {@code cache_creation} object with the 5m/1h split is sent at all
 */
public record FakeUsage(long inputTokens, long outputTokens, long cacheCreationInputTokens,
        long ephemeral5mInputTokens, long ephemeral1hInputTokens, long cacheReadInputTokens, boolean breakdown) {

    public static final FakeUsage FIXTURE = new FakeUsage(1200, 345, 200, 150, 50, 3000, true);

    /** Plain usage without cache activity and without the {@code cache_creation} object. */
    public static FakeUsage of(long inputTokens, long outputTokens) {
        return new FakeUsage(inputTokens, outputTokens, 0, 0, 0, 0, false);
    }
}
