package dev.relay.bench;

/**
 * What a load phase measured. Latencies are in nanoseconds.
 *
 * @param completed measured requests answered as expected
 * @param errors measured requests that failed (status, incomplete body, timeout, connection error)
 * @param firstError the first failure's description, or null
 * @param finished false when the phase hit its time limit with requests still outstanding
 */
record LoadResult(String name, int connections, long completed, long errors, double seconds, long p50, long p99,
        double mean, long max, String firstError, boolean finished) {

    double requestsPerSecond() {
        return seconds <= 0 ? 0 : completed / seconds;
    }
}
