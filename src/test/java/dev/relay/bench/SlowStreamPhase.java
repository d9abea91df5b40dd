package dev.relay.bench;

import dev.relay.fake.FakeAnthropic;
import dev.relay.fake.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The "N concurrent slow streams with flat memory" phase: the fake upstream answers every stream slowly, N
 * connections keep one stream each open for the phase, and the gateway RSS is sampled every 250 ms.
 */
final class SlowStreamPhase {
    static final int DELTAS = 20;
    static final long EVENT_DELAY_MS = 250;
    static final long SAMPLE_MS = 250;
    /** Memory counts as flat when the last quarter's mean RSS is within this share of the second quarter's. */
    static final double FLAT_TOLERANCE = 0.10;
    static final long SETTLE_MS = 5_000;

    /** What the phase measured: the streams and the RSS trace (offsets in ms from the phase start). */
    record Outcome(LoadResult streams, long beforeKb, RssTrace trace, long afterKb, long peakHwmKb,
            int maxUpstreamInFlight) {
    }

    /** RSS samples over a phase of {@code phaseMs}; quarters are by time. */
    record RssTrace(long phaseMs, List<long[]> samples) {
        /** The last sample taken at or before {@code fraction} of the phase (the first sample if none). */
        long at(double fraction) {
            long t = (long) (phaseMs * fraction);
            long found = samples.isEmpty() ? -1 : samples.get(0)[1];
            for (long[] s : samples) {
                if (s[0] <= t) {
                    found = s[1];
                }
            }
            return found;
        }

        long peak() {
            return samples.stream().mapToLong(s -> s[1]).max().orElse(-1);
        }

        /** Mean RSS of the samples in quarter {@code q} (1..4), or -1. */
        long quarterMean(int q) {
            long from = phaseMs * (q - 1) / 4;
            long to = phaseMs * q / 4;
            return (long) samples.stream().filter(s -> s[0] >= from && (s[0] < to || q == 4 && s[0] <= to))
                    .mapToLong(s -> s[1]).average().orElse(-1);
        }

        boolean flat() {
            long q2 = quarterMean(2);
            long q4 = quarterMean(4);
            return q2 > 0 && q4 > 0 && Math.abs(q4 - q2) <= q2 * FLAT_TOLERANCE;
        }
    }

    static Reply slowReply() {
        return Reply.ok().chunks(DELTAS).eventDelayMs(EVENT_DELAY_MS);
    }

    /**
     * Switches the fake's default reply to {@link #slowReply()} for the phase (and back to {@code normal} after),
     * runs {@code spec} (no warm-up: every stream is measured) and samples {@code rss} and the number of streams
     * open at the fake upstream (the gateway may hold client streams back while waiting for an upstream connection).
     */
    static Outcome run(FakeAnthropic fake, Reply normal, LoadGenerator load, LoadSpec spec, LongSupplier rss,
            LongSupplier peakHwm) throws Exception {
        long before = rss.getAsLong();
        AtomicInteger maxUpstream = new AtomicInteger();
        List<long[]> samples = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "slow-rss-sampler");
            t.setDaemon(true);
            return t;
        });
        fake.defaultReply(slowReply());
        LoadResult result;
        long phaseMs = spec.duration().toMillis();
        try {
            long start = System.nanoTime();
            sampler.scheduleAtFixedRate(() -> {
                long offset = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (offset <= phaseMs) {
                    long kb = rss.getAsLong();
                    maxUpstream.accumulateAndGet(fake.inFlight(), Math::max);
                    synchronized (samples) {
                        samples.add(new long[] {offset, kb});
                    }
                }
            }, 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
            result = load.run(spec);
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(2, TimeUnit.SECONDS);
            fake.defaultReply(normal);
        }
        Thread.sleep(SETTLE_MS);
        long after = rss.getAsLong();
        List<long[]> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        return new Outcome(result, before, new RssTrace(phaseMs, copy), after, peakHwm.getAsLong(),
                maxUpstream.get());
    }

    /** The Markdown notes of an outcome; a failed flatness check is stated, not hidden. */
    static List<String> notes(Outcome o, int streams) {
        RssTrace t = o.trace();
        LoadResult r = o.streams();
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "slow streams: %d connections, each stream %d content_block_delta events "
                + "%d ms apart, for %d s; %d streams completed with message_stop, %d errors%s; at most %d streams "
                + "open at the fake upstream at once (sampled every %d ms)",
                streams, DELTAS, EVENT_DELAY_MS, t.phaseMs() / 1000, r.completed(), r.errors(),
                r.finished() ? "" : " (streams still open at the drain limit)", o.maxUpstreamInFlight(), SAMPLE_MS));
        notes.add("slow streams RSS (VmRSS): before " + ResultTable.mib(o.beforeKb()) + "; at 25% "
                + ResultTable.mib(t.at(0.25)) + ", 50% " + ResultTable.mib(t.at(0.5)) + ", 75% "
                + ResultTable.mib(t.at(0.75)) + ", 100% " + ResultTable.mib(t.at(1.0)) + "; peak sample "
                + ResultTable.mib(t.peak()) + "; " + SETTLE_MS / 1000 + " s after the phase "
                + ResultTable.mib(o.afterKb()) + "; VmHWM " + ResultTable.mib(o.peakHwmKb()) + " ("
                + t.samples().size() + " samples every " + SAMPLE_MS + " ms)");
        notes.add(String.format(Locale.ROOT, "slow streams memory %s: last-quarter mean %s vs second-quarter mean %s "
                + "(%+.1f%%, tolerance ±%.0f%%)", t.flat() ? "**flat**" : "**NOT flat**",
                ResultTable.mib(t.quarterMean(4)), ResultTable.mib(t.quarterMean(2)),
                t.quarterMean(2) > 0 ? 100.0 * (t.quarterMean(4) - t.quarterMean(2)) / t.quarterMean(2) : 0.0,
                FLAT_TOLERANCE * 100));
        return notes;
    }
}
