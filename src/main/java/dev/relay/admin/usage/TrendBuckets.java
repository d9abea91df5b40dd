package dev.relay.admin.usage;

import dev.relay.store.LegacyClock;
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
