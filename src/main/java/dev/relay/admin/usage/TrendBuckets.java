package dev.relay.admin.usage;

import dev.relay.store.LegacyClock;
import dev.relay.store.LegacyValues;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The buckets of a per-key or per-account trend chart: hours from {@code start} (floored) to {@code end}, or the
 * last {@code days} days, each with its stamp in the legacy's time zone ({@code YYYY-MM-DD:HH} or {@code YYYY-MM-DD}).
 */
record TrendBuckets(boolean hourly, List<Instant> times, List<String> stamps) {

    /**
     * The buckets a trend request asks for, as the legacy reads its query: {@code granularity=hour} gives the last
     * 24 hours or {@code startDate}..{@code endDate} (at most 31 days), else the last {@code days} days (7 by
     * default, 1 to 365).
     *
     * @throws java.time.format.DateTimeParseException when a start or end date is given but unreadable
     */
    static TrendBuckets of(LegacyClock clock, Instant now, String granularity, String days, String startDate,
            String endDate) {
        if ("hour".equals(granularity)) {
            Instant start = now.minus(24, ChronoUnit.HOURS);
            Instant end = now;
            if (startDate != null && !startDate.isEmpty() && endDate != null && !endDate.isEmpty()) {
                start = Instant.parse(startDate);
                end = Instant.parse(endDate);
            }
            Instant latest = start.plus(31, ChronoUnit.DAYS);
            return hours(clock, start, end.isAfter(latest) ? latest : end);
        }
        long count = LegacyValues.parseInt(days == null ? "7" : days);
        return days(clock, now, (int) Math.max(1, Math.min(365, count == 0 ? 7 : count)));
    }

    static TrendBuckets hours(LegacyClock clock, Instant start, Instant end) {
        List<Instant> times = new ArrayList<>();
        List<String> stamps = new ArrayList<>();
        for (Instant h = start.truncatedTo(ChronoUnit.HOURS); !h.isAfter(end); h = h.plus(1, ChronoUnit.HOURS)) {
            times.add(h);
            stamps.add(clock.hour(h));
        }
        return new TrendBuckets(true, times, stamps);
    }

    static TrendBuckets days(LegacyClock clock, Instant now, int days) {
        List<Instant> times = new ArrayList<>();
        List<String> stamps = new ArrayList<>();
        for (int i = days - 1; i >= 0; i--) {
            Instant day = now.minus(i, ChronoUnit.DAYS);
            times.add(day);
            stamps.add(clock.date(day));
        }
        return new TrendBuckets(false, times, stamps);
    }

    /** A counter name's bucket stamp (its last {@code YYYY-MM-DD:HH} or {@code YYYY-MM-DD}). */
    String stampOf(String name) {
        int length = hourly ? 13 : 10;
        return name.length() < length ? "" : name.substring(name.length() - length);
    }

    /** The point's head: {@code {hour, label}} or {@code {date}}. */
    JsonObject head(int i) {
        String stamp = stamps.get(i);
        if (!hourly) {
            return new JsonObject().put("date", stamp);
        }
        return new JsonObject().put("hour", LegacyClock.iso(times.get(i))).put("label",
                stamp.substring(5, 7) + "/" + stamp.substring(8, 10) + " " + stamp.substring(11, 13) + ":00");
    }
}
