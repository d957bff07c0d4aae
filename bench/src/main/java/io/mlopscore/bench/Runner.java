package io.mlopscore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a timed operation from N threads (N = 1 for sequential latency), bounded both in count and
 * in time: each phase stops at whichever comes first. Every thread records its own latencies, so
 * recording costs no contention; a warm-up phase (same threads, same connections) runs first and
 * is discarded.
 */
final class Runner {
    /** One worker's timed operation; returns the nanoseconds of the timed part only. */
    interface Op {
        long run(long iteration) throws Exception;

        /** Closes what the worker holds (its connection). */
        default void release() throws Exception {}
    }

    /** Makes one worker's Op (its own connection, its own run...). */
    interface OpFactory {
        Op create(int worker) throws Exception;
    }

    /** Reads the server's own request histogram: {count, sum in seconds} for one endpoint. */
    interface ServerStats {
        double[] read() throws Exception;
    }

    /** How long and how much: warm-up and measured phases. */
    record Budget(long warmupCount, long count, double maxSeconds, boolean repeatable) {
        Budget(long warmupCount, long count, double maxSeconds) {
            this(warmupCount, count, maxSeconds, true);
        }
    }

    /** Before each measured phase, wait up to this long for other work on the machine to calm down. */
    static volatile double quietSeconds = 0;
    /** Measured phases repeated when other work used more than NOISY_CORES during them. */
    static volatile int noisyRetries = 1;
    /** The most time one bench run spends waiting for quiet and re-measuring, in all. */
    static volatile double noiseBudgetSeconds = 90;
    private static long noiseSpentNanos;
    static final double NOISY_CORES = 0.25;
    /** The longest a phase keeps warming up waiting for the JIT to finish. */
    static volatile double MAX_JIT_WARMUP_SECONDS = 15;

    private Runner() {}

    static Result run(String group, String what, String backend, int concurrency, Budget budget, OpFactory factory) throws Exception {
        return run(group, what, backend, concurrency, budget, factory, null);
    }

    static Result run(String group, String what, String backend, int concurrency, Budget budget, OpFactory factory,
                      ServerStats stats) throws Exception {
        List<Op> ops = new ArrayList<>(concurrency);
        try {
            for (int w = 0; w < concurrency; w++) {
                ops.add(factory.create(w));
            }
            // Warm-up: JIT, connection setup, page cache; bounded in time too.
            long next = phase(ops, 0, budget.warmupCount(), Math.min(budget.maxSeconds(), 20)).nextIndex;
            if (budget.warmupCount() > 0) {
                // Then keep warming up, a second at a time, until the JIT compilers (the server's
                // and ours) have gone quiet: on two cores a busy C2 thread skews every number.
                long until = System.nanoTime() + (long) (MAX_JIT_WARMUP_SECONDS * 1e9);
                while (System.nanoTime() < until) {
                    long c0 = CpuMonitor.compilerTicks();
                    long t0 = System.nanoTime();
                    next = phase(ops, next, Long.MAX_VALUE / 4, 1.0).nextIndex;
                    if (CpuMonitor.ticksToCores(CpuMonitor.compilerTicks() - c0, System.nanoTime() - t0) < 0.05) {
                        break;
                    }
                }
            }
            // Measured iterations are numbered after the warm-up's, so their rows are new ones too.
            // On a shared machine a phase measured while something else ran is measured again
            // (up to noisyRetries times); the quietest attempt is kept, and its "other" CPU shown.
            Result best = null;
            int attempts = budget.repeatable() ? noisyRetries : 0;
            for (int attempt = 0; attempt <= attempts; attempt++) {
                if (attempt > 0 && noiseSpentNanos > (long) (noiseBudgetSeconds * 1e9)) {
                    break; // the run has spent its allowance for waiting out other load
                }
                long waitStart = System.nanoTime();
                if (quietSeconds > 0) {
                    CpuMonitor.awaitQuiet(quietSeconds, NOISY_CORES);
                }
                noiseSpentNanos += System.nanoTime() - waitStart;
                long attemptStart = System.nanoTime();
                double[] statsBefore = stats == null ? null : stats.read();
                CpuMonitor.Snapshot before = CpuMonitor.take();
                PhaseResult r = phase(ops, next, budget.count(), budget.maxSeconds());
                CpuMonitor.Snapshot after = CpuMonitor.take();
                next = r.nextIndex;
                double serverMean = -1;
                if (stats != null) {
                    double[] statsAfter = stats.read();
                    double count = statsAfter[0] - statsBefore[0];
                    serverMean = count > 0 ? (statsAfter[1] - statsBefore[1]) / count * 1000 : -1;
                }
                Result res = Result.of(group, what, backend, concurrency, r.latencies, r.latencies.length, r.errors, r.wallNanos, r.firstError,
                        CpuMonitor.usage(before, after), serverMean);
                if (best == null || res.cpu().other() < best.cpu().other()) {
                    best = res;
                }
                if (attempt > 0) {
                    noiseSpentNanos += System.nanoTime() - attemptStart;
                }
                if (res.cpu().other() < NOISY_CORES) {
                    break;
                }
            }
            return best;
        } finally {
            for (Op op : ops) {
                try {
                    op.release();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private record PhaseResult(long[] latencies, int errors, long wallNanos, String firstError, long nextIndex) {}

    private static PhaseResult phase(List<Op> ops, long first, long count, double maxSeconds) throws Exception {
        if (count <= 0) {
            return new PhaseResult(new long[0], 0, 0, null, first);
        }
        int n = ops.size();
        AtomicLong next = new AtomicLong(first);
        long end = first + count;
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(n + 1);
        long[][] lat = new long[n][];
        int[] filled = new int[n];
        long[] endAt = new long[1];
        List<Thread> threads = new ArrayList<>(n);
        for (int w = 0; w < n; w++) {
            final int worker = w;
            Thread t = new Thread(() -> {
                long[] mine = new long[(int) Math.min(count / n + 16, 1 << 16)];
                int k = 0;
                try {
                    start.await();
                    long deadline = endAt[0];
                    long i;
                    while ((i = next.getAndIncrement()) < end && System.nanoTime() < deadline) {
                        try {
                            long nanos = ops.get(worker).run(i);
                            if (k == mine.length) {
                                mine = java.util.Arrays.copyOf(mine, mine.length * 2);
                            }
                            mine[k++] = nanos;
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                            if (errors.get() > 100) {
                                break; // something is broken; stop hammering
                            }
                        }
                    }
                } catch (Exception e) {
                    firstError.compareAndSet(null, "worker failed: " + e);
                }
                lat[worker] = mine;
                filled[worker] = k;
            }, "load-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long t0 = System.nanoTime();
        endAt[0] = t0 + (long) (maxSeconds * 1e9);
        start.await();
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - t0;
        int total = 0;
        for (int w = 0; w < n; w++) {
            total += filled[w];
        }
        long[] all = new long[total];
        int pos = 0;
        for (int w = 0; w < n; w++) {
            System.arraycopy(lat[w], 0, all, pos, filled[w]);
            pos += filled[w];
        }
        return new PhaseResult(all, (int) errors.get(), wall, firstError.get(), Math.min(next.get(), end));
    }
}
