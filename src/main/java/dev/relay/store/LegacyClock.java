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
    private static volatile IsoSecond isoSecond = new IsoSecond(Long.MIN_VALUE, "");

    private final int offsetHours;
    private final ZoneId hostZone;
    /** The labels of the hour last asked for: every request of that hour needs the same three strings. */
    private volatile HourLabels current = new HourLabels(Long.MIN_VALUE, "", "", "");

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
        return labels(instant).date();
    }

    /** {@code YYYY-MM} of the shifted time. */
    public String month(Instant instant) {
        return labels(instant).month();
    }

    /** {@code YYYY-MM-DD:HH} of the shifted time. */
    public String hour(Instant instant) {
        return labels(instant).hour();
    }

    private record HourLabels(long epochHour, String date, String month, String hour) {
    }

    private HourLabels labels(Instant instant) {
        long epochHour = Math.floorDiv(instant.getEpochSecond(), 3600L);
        HourLabels cached = current;
        if (cached.epochHour() == epochHour) {
            return cached;
        }
        ZonedDateTime t = shifted(instant);
        StringBuilder b = new StringBuilder(13);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2);
        String month = b.toString();
        pad(b.append('-'), t.getDayOfMonth(), 2);
        String date = b.toString();
        pad(b.append(':'), t.getHour(), 2);
        HourLabels fresh = new HourLabels(epochHour, date, month, b.toString());
        current = fresh;
        return fresh;
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
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
        long second = instant.getEpochSecond();
        IsoSecond cached = isoSecond;
        if (cached.epochSecond() != second) {
            // "yyyy-MM-ddTHH:mm:ss." is the same for every request of a second; only the millis differ
            String full = ISO.format(instant);
            cached = new IsoSecond(second, full.substring(0, full.length() - 4));
            isoSecond = cached;
        }
        int millis = instant.getNano() / 1_000_000;
        StringBuilder b = new StringBuilder(24).append(cached.prefix());
        if (millis < 100) {
            b.append(millis < 10 ? "00" : "0");
        }
        return b.append(millis).append('Z').toString();
    }

    private record IsoSecond(long epochSecond, String prefix) {
    }

    private ZonedDateTime shifted(Instant instant) {
        return instant.plusSeconds(offsetHours * 3600L).atZone(ZoneOffset.UTC);
    }
}
