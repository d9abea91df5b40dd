package dev.relay.usage;

/**
 * How {@link UsageWriteQueue} behaves while Redis fails: retry backoff; how long without an answer counts as a
 * failure; how many events may wait in memory only; how long {@link UsageWriteQueue#close} waits for the queue to
 * drain; how long a batch collects requests before it is spooled (fewer, larger files).
 */
record UsageWriteTuning(long firstRetryMs, long maxRetryMs, long stallMs, int maxMemoryEvents, long drainMs,
        long spoolLingerMs) {
    /**
     * Events held in memory only (not yet or not spoolable): beyond this, usage is dropped. A waiting request takes
     * 1.5 to 18 KB of heap (merged with others of its key, or alone), so 10,000 stay within a 160 MB heap.
     */
    static final int MAX_MEMORY_EVENTS = 10_000;
    static final UsageWriteTuning DEFAULT = new UsageWriteTuning(250, 30_000, 5_000, MAX_MEMORY_EVENTS, 3_000, 100);

    UsageWriteTuning withRetries(long firstMs, long maxMs) {
        return new UsageWriteTuning(firstMs, maxMs, stallMs, maxMemoryEvents, drainMs, spoolLingerMs);
    }

    UsageWriteTuning withStallMs(long ms) {
        return new UsageWriteTuning(firstRetryMs, maxRetryMs, ms, maxMemoryEvents, drainMs, spoolLingerMs);
    }

    UsageWriteTuning withMaxMemoryEvents(int events) {
        return new UsageWriteTuning(firstRetryMs, maxRetryMs, stallMs, events, drainMs, spoolLingerMs);
    }

    UsageWriteTuning withDrainMs(long ms) {
        return new UsageWriteTuning(firstRetryMs, maxRetryMs, stallMs, maxMemoryEvents, ms, spoolLingerMs);
    }

    UsageWriteTuning withSpoolLingerMs(long ms) {
        return new UsageWriteTuning(firstRetryMs, maxRetryMs, stallMs, maxMemoryEvents, drainMs, ms);
    }
}
