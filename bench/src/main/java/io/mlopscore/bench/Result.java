package io.mlopscore.bench;

import java.util.Arrays;

/**
 * One measured line of the table: a scenario on a backend, as served over HTTP or as one of its
 * floors, with latency percentiles (nearest rank) in milliseconds and throughput.
 *
 * @param group      the scenario it belongs to (log-batch, log-metric, ...); floors share it
 * @param what       what was timed on this line (mlops-core over HTTP, or a floor)
 * @param backend    sqlite, postgresql, or "-" for work that touches no store
 * @param concurrency clients running at once
 * @param target     the target for this line, or "" for baselines
 * @param met        whether the target was met; null for baselines
 * @param cpu        average cores used during the measured phase by the server, PostgreSQL, this
 *                    process (client or in-process floor) and anything else (a noisy machine)
 * @param serverMeanMs mean time inside the server per request, from its own request histogram
 *                    (Javalin's request logger: handler start to response written), or -1
 */
record Result(String group, String what, String backend, int concurrency, int n, int errors,
              double mean, double p50, double p90, double p99, double max, double reqPerSec,
              String target, Boolean met, String firstError, CpuMonitor.Usage cpu, double serverMeanMs) {

    static Result of(String group, String what, String backend, int concurrency, long[] nanos, int n, int errors,
                     long wallNanos, String firstError, CpuMonitor.Usage cpu, double serverMeanMs) {
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        double rps = wallNanos > 0 ? n / (wallNanos / 1e9) : 0;
        double mean = 0;
        for (long v : sorted) {
            mean += v;
        }
        mean = n == 0 ? 0 : mean / n / 1e6;
        return new Result(group, what, backend, concurrency, n, errors, mean,
                ms(percentile(sorted, 50)), ms(percentile(sorted, 90)), ms(percentile(sorted, 99)),
                ms(n == 0 ? 0 : sorted[n - 1]), rps, "", null, firstError, cpu, serverMeanMs);
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** This line with a target and whether it was met. */
    Result withTarget(String text, boolean ok) {
        return new Result(group, what, backend, concurrency, n, errors, mean, p50, p90, p99, max, reqPerSec, text, ok && errors == 0, firstError, cpu, serverMeanMs);
    }
}
