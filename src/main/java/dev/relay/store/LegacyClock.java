package dev.relay.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The legacy's date stamps (redis-keys.md §1.3): shifted by {@code TIMEZONE_OFFSET} hours and read in UTC. The
 * week label is the legacy's own non-ISO algorithm, which depends on the host time zone; reproduce it literally.
 */
public final class LegacyClock {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final long DAY_MS = 86_400_000L;

    private final int offsetHours;
    private final ZoneId hostZone;

    public LegacyClock(int offsetHours, ZoneId hostZone) {
        this.offsetHours = offsetHours;
        this.hostZone = hostZone;
    }

    /** Legacy {@code parseInt(TIMEZONE_OFFSET) || 8}: 0 and garbage become 8, "5.5" becomes 5. */
    public static int parseOffset(String text) {
        long parsed = LegacyValues.parseInt(text);
        return parsed == 0 ? 8 : (int) parsed;
    }

    public int offsetHours() {
        return offsetHours;
    }

    /** {@code YYYY-MM-DD} of the shifted time. */
    public String date(Instant instant) {
        ZonedDateTime t = shifted(instant);
        return String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
    }

    /** {@code YYYY-MM} of the shifted time. */
    public String month(Instant instant) {
        ZonedDateTime t = shifted(instant);
        return String.format("%04d-%02d", t.getYear(), t.getMonthValue());
    }

    /** {@code YYYY-MM-DD:HH} of the shifted time. */
    public String hour(Instant instant) {
        ZonedDateTime t = shifted(instant);
        return String.format("%04d-%02d-%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour());
    }

    /** The legacy {@code YYYY-Www} label used only by {@code usage:opus:weekly:*} (not ISO-8601, see §1.3). */
    public String week(Instant instant) {
        ZonedDateTime t = shifted(instant);
        int labelYear = t.getYear();
        int weekday = t.getDayOfWeek().getValue(); // Mon=1 .. Sun=7, as the legacy maps Sunday to 7
        ZonedDateTime thursday = t.plusDays(4 - weekday);
        long startOfYear = LocalDate.of(thursday.getYear(), 1, 1).atStartOfDay(hostZone).toInstant().toEpochMilli();
        double days = (thursday.toInstant().toEpochMilli() - startOfYear) / (double) DAY_MS;
        int week = (int) Math.ceil((days + 1) / 7);
        return String.format("%04d-W%02d", labelYear, week);
    }

    /** {@code floor(epochMillis / 60000)}, no time zone. */
    public static long minuteBucket(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli(), 60_000L);
    }

    /** JavaScript {@code Date.prototype.toISOString()}: UTC, always three fraction digits. */
    public static String iso(Instant instant) {
        return ISO.format(instant);
    }

    private ZonedDateTime shifted(Instant instant) {
        return instant.plusSeconds(offsetHours * 3600L).atZone(ZoneOffset.UTC);
    }
}
