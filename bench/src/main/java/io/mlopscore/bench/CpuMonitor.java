package io.mlopscore.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the machine's CPU went during a phase (Linux /proc): the server under test, PostgreSQL's
 * processes, this process (client and in-process floors), and everything else. "Other" CPU is
 * what the kernel counted as busy (user, system, irq, softirq, steal) minus the three, so a phase
 * measured while something else ran (a build, another test suite) shows as such in the table.
 * All figures are average cores over the phase (this machine has {@code nproc} of them).
 */
final class CpuMonitor {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    static volatile long serverPid = -1;

    /** One reading; postgres maps each postgres process id to its CPU ticks. */
    record Snapshot(long nanos, long busy, long self, long server, Map<Long, Long> postgres, boolean valid) {}

    /** Average cores per consumer between two snapshots; -1 when unknown. */
    record Usage(double server, double postgres, double bench, double other) {
        static final Usage UNKNOWN = new Usage(-1, -1, -1, -1);
    }

    private CpuMonitor() {}

    static Snapshot take() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                if (i < cpu.length) {
                    busy += Long.parseLong(cpu[i]);
                }
            }
            long self = ticks(ProcessHandle.current().pid());
            long server = serverPid > 0 ? ticks(serverPid) : 0;
            Map<Long, Long> postgres = new HashMap<>();
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
                for (Path p : procs) {
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        int open = stat.indexOf('(');
                        int close = stat.lastIndexOf(')');
                        if (open >= 0 && close > open && stat.substring(open + 1, close).startsWith("postgres")) {
                            postgres.put(Long.parseLong(p.getFileName().toString()), ticksOf(stat));
                        }
                    } catch (IOException | RuntimeException gone) {
                        // the process ended meanwhile
                    }
                }
            }
            return new Snapshot(System.nanoTime(), busy, self, server, postgres, true);
        } catch (IOException | RuntimeException e) {
            return new Snapshot(System.nanoTime(), 0, 0, 0, Map.of(), false);
        }
    }

    private static long ticks(long pid) {
        try {
            return ticksOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime, fields 14 and 15 of /proc/pid/stat (counting after the command name). */
    private static long ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU ticks of a process's JIT compiler threads (C1/C2), or 0 if unknown. */
    static long compilerTicks(long pid) {
        long sum = 0;
        if (pid <= 0) {
            return 0;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (comm.startsWith("C1 Compi") || comm.startsWith("C2 Compi")) {
                        sum += ticksOf(stat);
                    }
                } catch (IOException | RuntimeException gone) {
                    // thread ended
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    /** JIT compiler ticks of the bench and the server together. */
    static long compilerTicks() {
        return compilerTicks(ProcessHandle.current().pid()) + compilerTicks(serverPid);
    }

    static double ticksToCores(long ticks, long nanos) {
        return nanos <= 0 ? 0 : ticks / TICKS_PER_SECOND / (nanos / 1e9);
    }

    /**
     * PostgreSQL ticks spent between two readings: each process's growth, and all of a process
     * that started in between. (A process that exited in between is lost, and counts as other.)
     */
    private static long postgresTicks(Snapshot a, Snapshot b) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : b.postgres().entrySet()) {
            Long before = a.postgres().get(e.getKey());
            sum += before == null ? e.getValue() : Math.max(0, e.getValue() - before);
        }
        return sum;
    }

    static Usage usage(Snapshot a, Snapshot b) {
        long nanos = b.nanos() - a.nanos();
        if (!a.valid() || !b.valid() || nanos <= 0) {
            return Usage.UNKNOWN;
        }
        long server = Math.max(0, b.server() - a.server());
        long postgres = postgresTicks(a, b);
        long bench = Math.max(0, b.self() - a.self());
        long other = Math.max(0, (b.busy() - a.busy()) - server - postgres - bench);
        return new Usage(ticksToCores(server, nanos), ticksToCores(postgres, nanos), ticksToCores(bench, nanos), ticksToCores(other, nanos));
    }

    /**
     * Waits, up to {@code maxSeconds}, for a half-second in which other work used less than
     * {@code threshold} cores. Returns the last reading.
     */
    static double awaitQuiet(double maxSeconds, double threshold) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        double last;
        do {
            Snapshot a = take();
            Thread.sleep(500);
            last = usage(a, take()).other();
            if (last < 0 || last < threshold) {
                return last;
            }
        } while (System.nanoTime() < deadline);
        return last;
    }
}
