package io.mlopscore.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The results as a console table and as a markdown fragment, grouped by scenario, backends side by side. */
final class Report {
    private static final List<String> GROUP_ORDER = List.of("log-batch", "log-metric", "log-metric-concurrent", "search-runs", "health", "seed");
    // (groups named "<name> (...)" sort with <name>)
    private static final Map<String, String> GROUP_TITLES = Map.of(
            "log-batch", "log-batch",
            "log-metric", "log-metric (sequential)",
            "log-metric-concurrent", "log-metric (concurrent)",
            "search-runs", "search-runs",
            "health", "HTTP floor",
            "seed", "seeding (informational)");

    private final List<Result> results;
    private final Map<String, ServerUnderTest.Memory> memory;
    private final Map<String, List<String>> notes;
    private final Map<String, String> machine;
    private final Map<String, String> plans;
    private final TrackingBench.Options o;

    Report(List<Result> results, Map<String, ServerUnderTest.Memory> memory, Map<String, List<String>> notes,
           Map<String, String> machine, Map<String, String> plans, TrackingBench.Options o) {
        this.plans = plans;
        this.results = results;
        this.memory = memory;
        this.notes = notes;
        this.machine = machine;
        this.o = o;
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "%-52s %-10s %4d %7d %4d %8.3f %9.3f %9.3f %9.3f %9.3f %10.0f %8s %5s %5s %5s %5s  %s",
                r.what(), r.backend(), r.concurrency(), r.n(), r.errors(), r.mean(), r.p50(), r.p90(), r.p99(), r.max(), r.reqPerSec(),
                r.serverMeanMs() < 0 ? "" : String.format(Locale.ROOT, "%.3f", r.serverMeanMs()),
                cores(r.cpu().server()), cores(r.cpu().postgres()), cores(r.cpu().bench()), cores(r.cpu().other()), verdict(r));
    }

    static String cores(double c) {
        return c < 0 ? "?" : String.format(Locale.ROOT, "%.2f", c);
    }

    private static String verdict(Result r) {
        if (r.met() == null) {
            return "";
        }
        return r.target() + (r.met() ? "  met" : "  MISSED");
    }

    private List<String> groups() {
        Set<String> present = new LinkedHashSet<>();
        for (String g : GROUP_ORDER) {
            for (Result r : results) {
                if (r.group().equals(g) || r.group().startsWith(g + " (")) {
                    present.add(r.group());
                }
            }
        }
        results.forEach(r -> present.add(r.group()));
        return new ArrayList<>(present);
    }

    /** Within a group: the measured line of each backend, then its floors; backends one after the other. */
    private List<Result> ordered(String group) {
        List<Result> out = new ArrayList<>();
        for (String backend : List.of("sqlite", "postgresql")) {
            for (Result r : results) {
                if (r.group().equals(group) && r.backend().equals(backend)) {
                    out.add(r);
                }
            }
        }
        for (Result r : results) {
            if (r.group().equals(group) && !out.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }

    String console() {
        StringBuilder b = new StringBuilder();
        b.append("== results (latencies in ms, nearest-rank percentiles)\n");
        b.append(String.format(Locale.ROOT, "%-52s %-10s %4s %7s %4s %8s %9s %9s %9s %9s %10s %8s %5s %5s %5s %5s  %s%n",
                "scenario / baseline", "backend", "conc", "n", "err", "mean", "p50", "p90", "p99", "max", "req/s", "srv-mean",
                "c:srv", "c:pg", "c:cli", "c:oth", "target"));
        b.append("(srv-mean: mean time inside the server from its /metrics; c:*: cores used by the server, PostgreSQL, this process, others)\n");
        for (String g : groups()) {
            b.append("-- ").append(GROUP_TITLES.getOrDefault(g, g)).append('\n');
            for (Result r : ordered(g)) {
                b.append(line(r)).append('\n');
            }
        }
        if (!memory.isEmpty()) {
            b.append("== server process memory\n");
            memory.forEach((backend, m) -> b.append(String.format(Locale.ROOT,
                    "%-10s peak RSS %.0f MB, peak heap %.0f MB (max 256), heap at end %.0f MB used / %.0f MB committed, non-heap %.0f MB, "
                            + "%d GC pauses (total %.0f ms, max %.1f ms), server CPU %.1f s, %d threads%n",
                    backend, m.vmHwmKb() / 1024.0, m.peakHeapBeforeGcMb(), m.heapUsedMb(), m.heapCommittedMb(), m.nonHeapUsedMb(),
                    m.gcPauses(), m.gcPauseTotalMs(), m.gcPauseMaxMs(), m.cpuSeconds(), m.threads())));
        }
        return b.toString();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("#### Machine\n\n| | |\n|---|---|\n");
        machine.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        b.append("\n#### Targets\n\n| target | ");
        List<String> backends = new ArrayList<>();
        for (String be : List.of("sqlite", "postgresql")) {
            if (results.stream().anyMatch(r -> r.backend().equals(be))) {
                backends.add(be);
            }
        }
        b.append(String.join(" | ", backends.stream().map(Report::title).toList())).append(" |\n|---|");
        backends.forEach(x -> b.append("---|"));
        b.append('\n');
        for (String g : groups()) {
            Result t = results.stream().filter(x -> x.group().equals(g) && x.met() != null).findFirst().orElse(null);
            if (t == null) {
                continue;
            }
            b.append("| ").append(GROUP_TITLES.getOrDefault(g, g)).append(": ").append(t.target()).append(" |");
            for (String be : backends) {
                Result r = results.stream().filter(x -> x.group().equals(g) && x.backend().equals(be) && x.met() != null).findFirst().orElse(null);
                if (r == null) {
                    b.append(" – |");
                } else {
                    String value = t.target().contains("req/s")
                            ? String.format(Locale.ROOT, "%,.0f req/s", r.reqPerSec())
                            : String.format(Locale.ROOT, "p50 %.2f ms", r.p50());
                    b.append(' ').append(value).append(r.met() ? " ✅" : " ❌ missed").append(" |");
                }
            }
            b.append('\n');
        }
        if (!memory.isEmpty()) {
            b.append("| whole run within a 256 MB heap (-Xmx256m) |");
            for (String be : backends) {
                ServerUnderTest.Memory m = memory.get(be);
                b.append(m == null ? " – |" : String.format(Locale.ROOT, " peak heap %.0f MB, RSS %.0f MB ✅ |", m.peakHeapBeforeGcMb(), m.vmHwmKb() / 1024.0));
            }
            b.append('\n');
        }
        b.append("\n#### All numbers\n\nLatencies in ms (nearest-rank percentiles over n timed requests); req/s is n over the phase's wall time.\n"
                + "Each group shows, per backend, the endpoint over HTTP, then its floors measured in the same run.\n"
                + "mean: client-side mean; in-server mean: mean time per request inside the server, from its own request histogram (/metrics,\n"
                + "Javalin's request logger). CPU: average cores used during the phase by the server process, PostgreSQL's processes, the bench\n"
                + "process (load generator, or the in-process floor itself) and anything else on the machine (other builds and tests: a line with\n"
                + "\"other\" well above 0 was measured on a busy machine).\n\n");
        b.append("| scenario | measured | backend | conc | n | p50 | p90 | p99 | max | req/s | mean | in-server mean | CPU server / pg / bench / other | target |\n");
        b.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (String g : groups()) {
            for (Result r : ordered(g)) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %.3f | %.3f | %.3f | %.3f | %,.0f | %.3f | %s | %s / %s / %s / %s | %s |%n",
                        GROUP_TITLES.getOrDefault(g, g), r.what() + (r.errors() > 0 ? " (" + r.errors() + " errors)" : ""), r.backend(), r.concurrency(),
                        r.n(), r.p50(), r.p90(), r.p99(), r.max(), r.reqPerSec(), r.mean(),
                        r.serverMeanMs() < 0 ? "" : String.format(Locale.ROOT, "%.3f", r.serverMeanMs()),
                        cores(r.cpu().server()), cores(r.cpu().postgres()), cores(r.cpu().bench()), cores(r.cpu().other()),
                        r.met() == null ? "" : r.target() + (r.met() ? " ✅" : " ❌")));
            }
        }
        if (!memory.isEmpty()) {
            b.append("\n#### Server process memory (after the whole run)\n\n");
            b.append("| backend | peak RSS (VmHWM) | peak heap (GC log) | heap used / committed at end | non-heap | GC pauses (n / total / max) | server CPU | threads |\n");
            b.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
            memory.forEach((be, m) -> b.append(String.format(Locale.ROOT, "| %s | %.0f MB | %.0f MB | %.0f / %.0f MB | %.0f MB | %d / %.0f ms / %.1f ms | %.1f s | %d |%n",
                    be, m.vmHwmKb() / 1024.0, m.peakHeapBeforeGcMb(), m.heapUsedMb(), m.heapCommittedMb(), m.nonHeapUsedMb(),
                    m.gcPauses(), m.gcPauseTotalMs(), m.gcPauseMaxMs(), m.cpuSeconds(), m.threads())));
        }
        if (!notes.isEmpty()) {
            b.append("\n#### Notes\n\n");
            notes.forEach((be, list) -> list.forEach(n -> b.append("- ").append(be).append(": ").append(n).append('\n')));
        }
        if (!plans.isEmpty()) {
            b.append("\n#### search-runs query plans\n");
            plans.forEach((k, v) -> b.append("\n").append(k).append(":\n\n```\n").append(v.strip()).append("\n```\n"));
        }
        b.append("\nOptions: backends ").append(String.join(",", o.backends)).append(", concurrency ").append(o.concurrency)
                .append(", concurrent phases ").append(o.duration).append(" s, log-batch ").append(o.batchSize).append(" metrics (")
                .append(o.batchKeys.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))).append(" keys), search over ").append(o.runs).append(" runs, filter `").append(o.filter)
                .append("`, order_by `").append(o.orderBy).append("`, client ").append(o.client).append(".\n");
        return b.toString();
    }

    private static String title(String backend) {
        return backend.equals("sqlite") ? "SQLite" : backend.equals("postgresql") ? "PostgreSQL" : backend;
    }
}
