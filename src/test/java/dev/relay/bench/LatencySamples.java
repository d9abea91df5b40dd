package dev.relay.bench;

import java.util.Arrays;

/** Latencies in nanoseconds, kept whole in a growable array and sorted once for percentiles. */
final class LatencySamples {
    private long[] values = new long[1 << 14];
    private int size;
    private boolean sorted;

    void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = false;
    }

    void addAll(LatencySamples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]; 0 when empty. */
    long percentile(double p) {
        if (size == 0) {
            return 0;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return values[Math.min(size, Math.max(1, rank)) - 1];
    }

    long max() {
        return percentile(100);
    }

    double mean() {
        if (size == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }
}
