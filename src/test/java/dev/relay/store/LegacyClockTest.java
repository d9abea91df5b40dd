package dev.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class LegacyClockTest {
    private final LegacyClock clock = new LegacyClock(8, ZoneOffset.UTC);

    @Test
    void stampsFollowTheOffsetExample() {
        Instant t = Instant.parse("2025-07-29T17:30:00.000Z");
        assertEquals("2025-07-30", clock.date(t));
        assertEquals("2025-07", clock.month(t));
        assertEquals("2025-07-30:01", clock.hour(t));
        assertEquals(29_230_170L, LegacyClock.minuteBucket(t));
        assertEquals("2025-07-29T17:30:00.000Z", LegacyClock.iso(t));
    }

    @Test
    void weekLabelIsTheLegacyNonIsoAlgorithm() {
        // redis-keys.md §1.3: 2027 is one week ahead of ISO, and year ends keep the calendar year.
        assertEquals("2027-W11", clock.week(Instant.parse("2027-03-10T04:00:00Z")));
        assertEquals("2024-W01", clock.week(Instant.parse("2024-12-29T20:00:00Z")));
    }

    @Test
    void weekLabelDependsOnTheHostZone() {
        // shifted time is exactly Wednesday 00:00: the host zone's start of year tips the week over
        Instant t = Instant.parse("2027-03-09T16:00:00Z");
        assertEquals("2027-W10", clock.week(t));
        assertEquals("2027-W11", new LegacyClock(8, ZoneId.of("Asia/Shanghai")).week(t));
    }

    @Test
    void offsetIsParsedLikeTheLegacy() {
        assertEquals(8, LegacyClock.parseOffset("0"));
        assertEquals(8, LegacyClock.parseOffset("abc"));
        assertEquals(5, LegacyClock.parseOffset("5.5"));
        assertEquals(-5, LegacyClock.parseOffset("-5"));
    }

    @Test
    void fixtureBucketsMatch() {
        // shared/legacy/fixtures/04-relay-nonstream/scenario.md
        Instant t = Instant.parse("2026-11-23T07:21:53.341Z");
        assertEquals("2026-11-23", clock.date(t));
        assertEquals("2026-11-23:15", clock.hour(t));
        assertEquals(29_923_641L, LegacyClock.minuteBucket(t));
    }

    @Test
    void cachedLabelsFollowTheInstantAcrossHourSecondAndDayBoundaries() {
        // the labels are cached per hour and the ISO prefix per second: alternate instants so every call
        // switches the cache, and compare with a plain formatter
        java.time.format.DateTimeFormatter reference =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd:HH").withZone(ZoneOffset.ofHours(-5));
        LegacyClock minusFive = new LegacyClock(-5, ZoneOffset.UTC);
        Instant start = Instant.parse("2026-12-31T23:58:59.995Z");
        for (int i = 0; i < 400; i++) {
            Instant t = start.plusMillis(i * 1_003L * (i % 2 == 0 ? 1 : 3_600));
            String expectedHour = reference.format(t);
            assertEquals(expectedHour, minusFive.hour(t));
            assertEquals(expectedHour.substring(0, 10), minusFive.date(t));
            assertEquals(expectedHour.substring(0, 7), minusFive.month(t));
            assertEquals(t.toString().length() == 24 ? t.toString()
                    : java.time.format.DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                            .replace("Z", String.format(".%03dZ", t.getNano() / 1_000_000)),
                    LegacyClock.iso(t));
        }
        assertEquals("2026-11-23T07:21:53.041Z", LegacyClock.iso(Instant.parse("2026-11-23T07:21:53.041Z")));
        assertEquals("2026-11-23T07:21:53.001Z", LegacyClock.iso(Instant.parse("2026-11-23T07:21:53.001Z")));
    }
}
