package dev.relay.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class RetryHeadersTest {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertEquals(Map.of("retry-after", "60"), RetryHeaders.at(NOW.plusSeconds(60), NOW));
        assertEquals(Map.of("retry-after", "2"), RetryHeaders.at(NOW.plusMillis(1001), NOW));
        assertEquals(Map.of("retry-after", "1"), RetryHeaders.at(NOW.minusSeconds(5), NOW));
    }

    @Test
    void notBeforeAlsoTellsTheClientNotToRetry() {
        assertEquals(Map.of("retry-after", "3600", "x-should-retry", "false"),
                RetryHeaders.notBefore(NOW.plusSeconds(3600), NOW));
        assertEquals(Map.of("x-should-retry", "false"), RetryHeaders.notBefore(null, NOW));
    }
}
