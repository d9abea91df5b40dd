package dev.relay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's Markdown report: one row per load phase, then memory and the run's conditions. */
final class ResultTable {
    /** One measured phase; {@code baseline} is the direct phase it is compared with, {@code redis} may be null. */
    record Row(LoadResult result, LoadResult baseline, RedisCommandStats redis, double cpuMicrosPerRequest) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(LoadResult result, LoadResult baseline, RedisCommandStats redis) {
        add(result, baseline, redis, -1);
    }

    /** {@code cpuMicrosPerRequest}: the gateway's CPU time per measured request, negative when not measured. */
    void add(LoadResult result, LoadResult baseline, RedisCommandStats redis, double cpuMicrosPerRequest) {
        rows.add(new Row(result, baseline, redis, cpuMicrosPerRequest));
    }

    void note(String text) {
        notes.add(text);
    }

    String markdown(String title, List<String> conditions) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("| Scenario | Conns | Req/s | p50 ms | p99 ms | Added p50 ms | Added p99 ms | Errors "
                + "| Redis cmds/req | Redis reads/req | Gateway CPU µs/req |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            LoadResult r = row.result();
            md.append("| ").append(r.name()).append(r.finished() ? "" : " (hit time limit)")
                    .append(" | ").append(r.connections())
                    .append(" | ").append(fmt("%.0f", r.requestsPerSecond()))
                    .append(" | ").append(ms(r.p50()))
                    .append(" | ").append(ms(r.p99()))
                    .append(" | ").append(row.baseline() == null ? "–" : ms(r.p50() - row.baseline().p50()))
                    .append(" | ").append(row.baseline() == null ? "–" : ms(r.p99() - row.baseline().p99()))
                    .append(" | ").append(r.errors())
                    .append(" | ").append(perRequest(row.redis() == null ? -1 : row.redis().commands(), r))
                    .append(" | ").append(perRequest(row.redis() == null ? -1 : row.redis().reads(), r))
                    .append(" | ").append(row.cpuMicrosPerRequest() < 0 ? "–" : fmt("%.0f", row.cpuMicrosPerRequest()))
                    .append(" |\n");
        }
        md.append('\n');
        for (String note : notes) {
            md.append("- ").append(note).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append('\n');
        }
        md.append("Conditions:\n\n");
        for (String c : conditions) {
            md.append("- ").append(c).append('\n');
        }
        for (Row row : rows) {
            if (row.result().firstError() != null) {
                md.append("- first error in ").append(row.result().name()).append(": `")
                        .append(row.result().firstError().replace('\n', ' ').replace("`", "'")).append("`\n");
            }
        }
        return md.toString();
    }

    private static String perRequest(long total, LoadResult r) {
        if (total < 0 || r.completed() == 0) {
            return "–";
        }
        return fmt("%.2f", (double) total / r.completed());
    }

    static String ms(long nanos) {
        return fmt("%.2f", nanos / 1e6);
    }

    static String mib(long kb) {
        return kb < 0 ? "n/a" : fmt("%.0f MiB", kb / 1024.0);
    }

    private static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
