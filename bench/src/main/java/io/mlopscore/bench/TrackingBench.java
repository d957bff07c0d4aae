package io.mlopscore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.common.http.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Load generator for the tracking server's hot paths, against the real runnable jar started as a
 * separate {@code -Xmx256m} JVM, on SQLite and/or PostgreSQL, client on loopback.
 *
 * <p>Every hot path is measured next to its floors in the same run:
 * <ul>
 *   <li>HTTP floor: the same load (same concurrency, same connections) against {@code GET /health},
 *       which is Jetty + Javalin + this client and nothing else;</li>
 *   <li>in-process store: the server's own store code (Database, RunStore, SearchStore) opened in
 *       this process on the same database: the server without HTTP and JSON;</li>
 *   <li>JDBC floor: the same SQL written out over plain JDBC in this process, on the same database,
 *       with the same durability settings, statements prepared once;</li>
 *   <li>for log-batch also an HTTP+JSON floor (the same body for an unknown run: parsed, validated,
 *       answered 404, nothing written) and a JSON floor (the body parsed with the server's mapper).</li>
 * </ul>
 * Each line also carries the server's own mean time per request (its /metrics) and where the CPU
 * went (server, PostgreSQL, this process, anything else), so a phase measured on a busy machine
 * shows as such. Results go to stdout as a table and, with {@code --markdown}, to a file.
 *
 * <pre>
 * java -jar bench/target/tracking-bench.jar --markdown bench/target/tracking-bench-results.md
 * java -jar bench/target/tracking-bench.jar --backend sqlite --scenario log-batch --batch-keys 10,100,1000
 * </pre>
 */
public final class TrackingBench {
    static final List<String> SCENARIOS = List.of("health", "log-metric", "log-metric-concurrent", "log-batch", "search-runs");

    /** Command-line options; {@code -help} lists them. */
    static final class Options {
        List<String> backends = List.of("sqlite", "postgresql");
        Set<String> scenarios = new LinkedHashSet<>(SCENARIOS);
        Long iterations; // overrides every sequential phase's count
        double duration = 4; // seconds of each concurrent phase
        double maxSeconds = 15; // cap of each sequential phase
        int concurrency = 8;
        int runs = 10_000;
        int batchSize = 1000;
        List<Integer> batchKeys = List.of(100);
        String filter = "metrics.accuracy > 0.5";
        String orderBy = "metrics.loss ASC";
        int pageSize = 100;
        String client = "raw";
        boolean floors = true;
        Path jar;
        List<String> serverJvm = List.of("-Xmx256m");
        String pgHost = "127.0.0.1";
        int pgPort = 5432;
        String pgDatabase = "test";
        String pgUser = "postgres";
        Path markdown;
        Path workRoot;
        boolean quick;
        double waitQuiet = 5;
        String jarNote;
        int noisyRetries = 1;
        double noiseBudget = 90;

        static Options parse(String[] args) {
            Options o = new Options();
            Path root = projectRoot();
            o.jar = root.resolve("app/target/mlops-core.jar");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String name = a.startsWith("--") ? a.substring(2) : a.startsWith("-") ? a.substring(1) : a;
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (name.equals("help") || name.equals("h")) {
                    usage();
                    System.exit(0);
                }
                if (name.equals("quick")) {
                    o.quick = true;
                    continue;
                }
                if (name.equals("no-floors")) {
                    o.floors = false;
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + a + " needs a value (-help lists the options)");
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "backend" -> o.backends = switch (value) {
                        case "both" -> List.of("sqlite", "postgresql");
                        case "sqlite", "postgresql" -> List.of(value);
                        default -> throw new IllegalArgumentException("--backend is sqlite, postgresql or both, not " + value);
                    };
                    case "scenario" -> {
                        o.scenarios = new LinkedHashSet<>();
                        for (String s : value.split(",")) {
                            if (s.equals("all")) {
                                o.scenarios.addAll(SCENARIOS);
                            } else if (SCENARIOS.contains(s)) {
                                o.scenarios.add(s);
                            } else {
                                throw new IllegalArgumentException("unknown scenario " + s + "; one of all, " + String.join(", ", SCENARIOS));
                            }
                        }
                    }
                    case "iterations" -> o.iterations = Long.parseLong(value);
                    case "duration" -> o.duration = Double.parseDouble(value);
                    case "max-seconds" -> o.maxSeconds = Double.parseDouble(value);
                    case "concurrency" -> o.concurrency = Integer.parseInt(value);
                    case "runs" -> o.runs = Integer.parseInt(value);
                    case "batch-size" -> o.batchSize = Integer.parseInt(value);
                    case "batch-keys" -> o.batchKeys = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
                    case "filter" -> o.filter = value;
                    case "order-by" -> o.orderBy = value;
                    case "client" -> o.client = value;
                    case "jar" -> o.jar = Path.of(value);
                    case "server-jvm" -> o.serverJvm = List.of(value.trim().split("\\s+"));
                    case "pg-host" -> o.pgHost = value;
                    case "pg-port" -> o.pgPort = Integer.parseInt(value);
                    case "pg-database" -> o.pgDatabase = value;
                    case "pg-user" -> o.pgUser = value;
                    case "markdown" -> o.markdown = Path.of(value);
                    case "work-dir" -> o.workRoot = Path.of(value);
                    case "wait-quiet" -> o.waitQuiet = Double.parseDouble(value);
                    case "jar-note" -> o.jarNote = value;
                    case "noisy-retries" -> o.noisyRetries = Integer.parseInt(value);
                    case "noise-budget" -> o.noiseBudget = Double.parseDouble(value);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (-help lists the options)");
                }
            }
            LoadClient.requireLoopback(o.pgHost);
            if (o.concurrency < 1 || o.concurrency > 64) {
                throw new IllegalArgumentException("--concurrency must be 1..64");
            }
            if (o.quick) {
                o.runs = Math.min(o.runs, 1000);
                o.duration = Math.min(o.duration, 2);
                o.maxSeconds = Math.min(o.maxSeconds, 5);
            }
            return o;
        }

        /** The sequential count for a phase: the scenario's default, unless --iterations says otherwise. */
        long count(long scenarioDefault) {
            if (iterations != null) {
                return iterations;
            }
            return quick ? Math.max(10, scenarioDefault / 5) : scenarioDefault;
        }

        Runner.Budget sequential(long warmup, long count) {
            return new Runner.Budget(quick ? Math.max(5, warmup / 5) : warmup, count(count), maxSeconds);
        }

        Runner.Budget concurrent(long warmup) {
            return new Runner.Budget(quick ? Math.max(50, warmup / 5) : warmup, 50_000_000L, duration);
        }

        static void usage() {
            System.out.println("""
                    io.mlopscore.bench.TrackingBench: tracking-server load generator (loopback only)

                      --backend sqlite|postgresql|both     (default both)
                      --scenario all|health,log-metric,log-metric-concurrent,log-batch,search-runs   (default all)
                      --iterations N        measured requests of each sequential phase (default per scenario:
                                            health 5000, log-metric 3000, log-batch 200, search-runs 100)
                      --max-seconds S       time cap of each sequential phase (default 15)
                      --duration S          length of each concurrent phase (default 4)
                      --concurrency C       clients of the concurrent phases (default 8)
                      --runs N              runs seeded for search-runs (default 10000)
                      --batch-size N        metrics per log-batch (default 1000)
                      --batch-keys N[,N..]  distinct metric keys in a log-batch (default 100, so 10 steps each);
                                            a list measures each shape, e.g. 10,100,1000
                      --filter F            search-runs filter (default "metrics.accuracy > 0.5")
                      --order-by O          search-runs order_by (default "metrics.loss ASC")
                      --client raw|jdk      raw keep-alive socket client (default) or java.net.http.HttpClient
                      --no-floors           skip the JDBC and JSON floors (the /health floor always runs)
                      --jar PATH            server jar (default <project>/app/target/mlops-core.jar)
                      --jar-note TEXT       what the jar was built from, for the machine table
                      --server-jvm "OPTS"   server JVM options (default "-Xmx256m")
                      --pg-host/--pg-port/--pg-database/--pg-user   PostgreSQL (default 127.0.0.1 5432 test postgres);
                                            a fresh schema bench_<random> is created and dropped
                      --markdown FILE       also write the results as a markdown fragment
                      --work-dir DIR        where SQLite files and server logs go (default a temp folder)
                      --wait-quiet S        before each measured phase wait up to S s (default 5) for other
                                            processes to use < 0.25 cores; the table shows what they used anyway
                      --noisy-retries N     measure a phase again, up to N times (default 1), when other processes
                                            used > 0.25 cores during it; the quietest attempt is kept
                      --noise-budget S      at most S s in all (default 90) spent waiting for quiet and re-measuring
                      --quick               a smoke run: small budgets, 1000 runs
                    """);
        }
    }

    private final Options o;
    private final List<Result> results = new ArrayList<>();
    private final Map<String, ServerUnderTest.Memory> memory = new LinkedHashMap<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final Map<String, String> machine = new LinkedHashMap<>();
    private final Map<String, String> plans = new LinkedHashMap<>();

    private TrackingBench(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tracking-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runner.quietSeconds = o.waitQuiet;
        Runner.noisyRetries = o.noisyRetries;
        Runner.noiseBudgetSeconds = o.noiseBudget;
        TrackingBench bench = new TrackingBench(o);
        int failures = bench.runAll();
        System.exit(failures == 0 ? 0 : 1);
    }

    private int runAll() throws Exception {
        Path work = o.workRoot != null ? Files.createDirectories(o.workRoot) : Files.createTempDirectory("mlops-bench-");
        if (o.workRoot == null) {
            // Interrupted (Ctrl-C, SIGTERM): the temp folder (SQLite files, hundreds of MB) goes too.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteTree(work);
                } catch (IOException ignored) {
                    // best effort at exit
                }
            }, "delete-work-dir"));
        }
        describeMachine(work);
        System.out.println("== machine");
        machine.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-22s %s%n", k, v));
        int failures = 0;
        for (String backend : o.backends) {
            System.out.println();
            System.out.println("== " + backend);
            try {
                runBackend(backend, work);
            } catch (Exception e) {
                failures++;
                System.out.println("!! " + backend + " failed: " + e);
                e.printStackTrace(System.out);
                note(backend, "the run failed: " + e.getMessage());
            }
        }
        System.out.println();
        Report report = new Report(results, memory, notes, machine, plans, o);
        System.out.print(report.console());
        if (o.markdown != null) {
            if (o.markdown.getParent() != null) {
                Files.createDirectories(o.markdown.getParent());
            }
            Files.writeString(o.markdown, report.markdown(), StandardCharsets.UTF_8);
            System.out.println("markdown written to " + o.markdown);
        }
        if (o.workRoot == null) {
            deleteTree(work);
        }
        for (Result r : results) {
            if (r.errors() > 0) {
                failures++;
            }
        }
        return failures;
    }

    // ---------------------------------------------------------------- one backend

    private void runBackend(String backend, Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve(backend));
        String uri;
        StoreFloor floor;
        String schema = null;
        String pgAdminUrl = "jdbc:postgresql://" + o.pgHost + ":" + o.pgPort + "/" + o.pgDatabase;
        if (backend.equals("sqlite")) {
            Path db = dir.resolve("mlflow.db");
            uri = "sqlite:///" + db.toAbsolutePath();
            floor = StoreFloor.sqlite(db.toAbsolutePath());
        } else {
            schema = "bench_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
            try (Connection c = DriverManager.getConnection(pgAdminUrl, o.pgUser, null); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            uri = "postgresql://" + o.pgUser + "@" + o.pgHost + ":" + o.pgPort + "/" + o.pgDatabase + "?currentSchema=" + schema;
            floor = StoreFloor.postgres(pgAdminUrl + "?currentSchema=" + schema + "&reWriteBatchedInserts=true", o.pgUser);
        }
        final String dropSchema = schema;
        Thread cleanup = new Thread(() -> dropSchema(pgAdminUrl, dropSchema), "drop-schema");
        if (schema != null) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        System.out.println("  backend store URI: " + uri);
        try {
            ServerUnderTest server = ServerUnderTest.start(o.jar, o.serverJvm, uri, dir, o.client);
            Thread stopServer = new Thread(server::close, "stop-server");
            Runtime.getRuntime().addShutdownHook(stopServer);
            try {
                CpuMonitor.serverPid = server.pid();
                System.out.println("  server pid " + server.pid() + " on 127.0.0.1:" + server.port() + " (" + String.join(" ", o.serverJvm) + ")");
                scenarios(backend, server, floor, uri);
                ServerUnderTest.Memory m = server.memory();
                memory.put(backend, m);
                System.out.printf(Locale.ROOT, "  server memory: peak RSS (VmHWM) %.0f MB, peak heap %.0f MB of 256 MB, %d GC pauses (max %.1f ms)%n",
                        m.vmHwmKb() / 1024.0, m.peakHeapBeforeGcMb(), m.gcPauses(), m.gcPauseMaxMs());
            } catch (Exception e) {
                System.out.println("  server log tail:\n" + server.logTail());
                throw e;
            } finally {
                server.close();
                Runtime.getRuntime().removeShutdownHook(stopServer);
            }
        } finally {
            if (schema != null) {
                dropSchema(pgAdminUrl, schema);
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    private void dropSchema(String adminUrl, String schema) {
        if (schema == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl, o.pgUser, null); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (Exception e) {
            System.err.println("tracking-bench: could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    private void scenarios(String backend, ServerUnderTest server, StoreFloor floor, String uri) throws Exception {
        int port = server.port();
        String writes;
        try (LoadClient c = client(port)) {
            writes = MlflowApi.createExperiment(c, "bench-writes");
        }
        // The HTTP floor, at both concurrencies; every group is shown next to it.
        Result health1 = measure(Runner.run("health", "GET /health (HTTP floor)", backend, 1, o.sequential(3000, 5000),
                w -> healthOp(port), stats(port, "/health", "GET")));
        Result healthN = measure(Runner.run("health", "GET /health (HTTP floor)", backend, o.concurrency, o.concurrent(3000),
                w -> healthOp(port), stats(port, "/health", "GET")));
        // The server's own store code, in this process: what is left once HTTP and JSON are gone.
        try (InProcessStore store = o.floors ? new InProcessStore(uri) : null) {
            if (o.scenarios.contains("log-metric")) {
                Result r = measure(Runner.run("log-metric", "POST runs/log-metric", backend, 1, o.sequential(1500, 3000),
                        w -> logMetricOp(port, writes, "log-metric-seq"), stats(port, MlflowApi.LOG_METRIC, "POST")));
                target(r, "p50 < 1 ms", r.p50() < 1.0);
                addFloorRef("log-metric", health1);
                if (store != null) {
                    measure(Runner.run("log-metric", "in-process: server's RunStore.logMetric", backend, 1, o.sequential(1500, 3000),
                            w -> storeLogMetricOp(port, writes, store, "store-seq")));
                    measure(Runner.run("log-metric", "JDBC floor: same SQL, 1 tx", backend, 1, o.sequential(1500, 3000),
                            w -> floorLogMetricOp(port, writes, floor, "floor-seq")));
                }
            }
            if (o.scenarios.contains("log-metric-concurrent")) {
                Result r = measure(Runner.run("log-metric-concurrent", "POST runs/log-metric", backend, o.concurrency, o.concurrent(3000),
                        w -> logMetricOp(port, writes, "log-metric-c" + w), stats(port, MlflowApi.LOG_METRIC, "POST")));
                target(r, ">= 5000 req/s", r.reqPerSec() >= 5000);
                addFloorRef("log-metric-concurrent", healthN);
                if (store != null) {
                    measure(Runner.run("log-metric-concurrent", "in-process: server's RunStore.logMetric", backend, o.concurrency,
                            o.concurrent(1000), w -> storeLogMetricOp(port, writes, store, "store-c" + w)));
                    String how = floor.dialect() == io.mlopscore.tracking.store.Dialect.SQLITE
                            ? "JDBC floor: " + o.concurrency + " conns, BEGIN IMMEDIATE each"
                            : "JDBC floor: " + o.concurrency + " conns, 1 tx each";
                    measure(Runner.run("log-metric-concurrent", how, backend, o.concurrency, o.concurrent(1000),
                            w -> floorLogMetricOp(port, writes, floor, "floor-c" + w)));
                }
            }
            if (o.scenarios.contains("log-batch")) {
                for (int keys : o.batchKeys) {
                    String group = o.batchKeys.size() == 1 ? "log-batch" : "log-batch (" + keys + " keys)";
                    String label = "POST runs/log-batch (" + o.batchSize + " metrics, " + keys + " keys)";
                    Result r = measure(Runner.run(group, label, backend, 1, o.sequential(40, 200), w -> logBatchOp(port, writes, keys),
                            stats(port, MlflowApi.LOG_BATCH, "POST")));
                    target(r, "p50 <= 10 ms", r.p50() <= 10.0);
                    addFloorRef(group, health1);
                    measure(Runner.run(group, "HTTP+JSON floor: same body, unknown run_id (404)", backend, 1, o.sequential(40, 200),
                            w -> logBatchUnknownRunOp(port, keys), stats(port, MlflowApi.LOG_BATCH, "POST")));
                    if (store != null) {
                        measure(Runner.run(group, "JSON floor: parse same body in-process", backend, 1, o.sequential(200, 200), w -> jsonFloorOp(keys)));
                        measure(Runner.run(group, "in-process: server's RunStore.logBatch", backend, 1, o.sequential(40, 200),
                                w -> storeLogBatchOp(port, writes, store, keys)));
                        measure(Runner.run(group, "JDBC floor: same SQL, 1 tx", backend, 1, o.sequential(40, 200),
                                w -> floorLogBatchOp(port, writes, floor, keys)));
                    }
                }
            }
            if (o.scenarios.contains("search-runs")) {
                sqliteFiles(backend, uri, "before seeding");
                String experiment = seed(backend, port);
                sqliteFiles(backend, uri, "after seeding");
                try (Connection c = floor.open(); java.sql.PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM runs WHERE experiment_id = ?")) {
                    p.setLong(1, Long.parseLong(experiment));
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) != o.runs) {
                            throw new IllegalStateException("the search experiment holds " + rs.getLong(1) + " runs, not " + o.runs);
                        }
                    }
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                }
                String label = "POST runs/search (" + o.runs + " runs, page " + o.pageSize + ")";
                boolean pg = floor.dialect() == io.mlopscore.tracking.store.Dialect.POSTGRESQL;
                if (pg) {
                    // Right after the bulk load, with whatever planner statistics autovacuum has
                    // gathered so far; then ANALYZE, which autovacuum does on its own within about
                    // a minute (autovacuum_naptime), and measure the steady state.
                    note(backend, "planner statistics right after seeding: " + pgStats(floor));
                    Result fresh = measure(Runner.run("search-runs (fresh stats)", label + ", right after seeding", backend, 1,
                            o.sequential(20, 100), w -> searchOp(port, experiment), stats(port, MlflowApi.SEARCH_RUNS, "POST")));
                    target(fresh, "p50 <= 50 ms", fresh.p50() <= 50.0);
                    if (store != null) {
                        explain(backend, floor, experiment, "right after seeding");
                    }
                    try (Connection c = floor.open(); Statement st = c.createStatement()) {
                        c.setAutoCommit(true);
                        st.execute("ANALYZE runs, latest_metrics, params, tags, metrics");
                    }
                    note(backend, "then ran ANALYZE runs, latest_metrics, params, tags, metrics (what autovacuum does within ~1 min) before the search-runs group");
                }
                Result r = measure(Runner.run("search-runs", label + (pg ? ", after ANALYZE" : ""), backend, 1, o.sequential(20, 100),
                        w -> searchOp(port, experiment), stats(port, MlflowApi.SEARCH_RUNS, "POST")));
                target(r, "p50 <= 50 ms", r.p50() <= 50.0);
                addFloorRef("search-runs", health1);
                if (store != null) {
                    measure(Runner.run("search-runs", "in-process: server's SearchStore.searchRuns", backend, 1, o.sequential(20, 100),
                            w -> storeSearchOp(store, experiment)));
                    try (StoreFloor.Searcher s = floor.new Searcher(experiment, o.filter, o.orderBy, o.pageSize)) {
                        note(backend, "search-runs SQL (RunSearchSql, as the server runs it): `" + s.sql() + "`");
                    }
                    measure(Runner.run("search-runs", "JDBC floor: same SQL (ids + 5 loads)", backend, 1, o.sequential(20, 100),
                            w -> floorSearchOp(floor, experiment)));
                    explain(backend, floor, experiment, pg ? "after ANALYZE" : "");
                }
            }
        }
    }

    /** The SQLite file and its WAL, by size: a WAL that never restarts makes every read slower. */
    private void sqliteFiles(String backend, String uri, String when) {
        if (!uri.startsWith("sqlite:///")) {
            return;
        }
        Path db = Path.of(uri.substring("sqlite:///".length()));
        Path wal = Path.of(db + "-wal");
        try {
            String text = String.format(Locale.ROOT, "SQLite files %s: %s %.1f MB, %s %.1f MB", when, db.getFileName(), Files.size(db) / 1048576.0,
                    wal.getFileName(), Files.exists(wal) ? Files.size(wal) / 1048576.0 : 0.0);
            System.out.println("  " + text);
            note(backend, text);
        } catch (IOException e) {
            // not there: nothing to report
        }
    }

    /** Whether autovacuum has analyzed the seeded tables yet. */
    private static String pgStats(StoreFloor floor) {
        StringBuilder b = new StringBuilder();
        try (Connection c = floor.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT relname, n_live_tup, n_mod_since_analyze, last_autoanalyze FROM pg_stat_user_tables "
                     + "WHERE schemaname = current_schema() AND relname IN ('runs', 'latest_metrics') ORDER BY relname")) {
            while (rs.next()) {
                if (b.length() > 0) {
                    b.append("; ");
                }
                b.append(rs.getString(1)).append(": ").append(rs.getLong(2)).append(" live rows, ").append(rs.getLong(3))
                        .append(" changed since last analyze, last autoanalyze ").append(rs.getString(4) == null ? "never" : rs.getString(4));
            }
            c.rollback();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return b.toString();
    }

    private void target(Result r, String text, boolean ok) {
        results.set(results.lastIndexOf(r), r.withTarget(text, ok));
    }

    /** The server's request histogram for one endpoint, read from its /metrics. */
    private static Runner.ServerStats stats(int port, String endpoint, String method) {
        String labels = "{endpoint=\"" + endpoint + "\",method=\"" + method + "\"}";
        return () -> {
            try (LoadClient c = LoadClient.create("raw", "127.0.0.1", port)) {
                String text = c.send("/metrics", null).text();
                return new double[] {
                    ServerUnderTest.metric(text, "mlflow_tracking_http_request_duration_seconds_count" + labels),
                    ServerUnderTest.metric(text, "mlflow_tracking_http_request_duration_seconds_sum" + labels)};
            }
        };
    }

    /** The plan of the server's search query, for the write-up (EXPLAIN ANALYZE / EXPLAIN QUERY PLAN). */
    private void explain(String backend, StoreFloor floor, String experiment, String when) {
        boolean pg = floor.dialect() == io.mlopscore.tracking.store.Dialect.POSTGRESQL;
        try (Connection c = floor.open()) {
            io.mlopscore.tracking.search.SqlQuery q = io.mlopscore.tracking.search.RunSearchSql.compile(List.of(experiment), o.filter,
                    io.mlopscore.tracking.search.ViewType.parse("ACTIVE_ONLY"), List.of(o.orderBy), o.pageSize + 1, 0, floor.dialect());
            try (java.sql.PreparedStatement p = c.prepareStatement((pg ? "EXPLAIN (ANALYZE, COSTS OFF) " : "EXPLAIN QUERY PLAN ") + q.sql())) {
                q.bind(p);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        plan.append(pg ? rs.getString(1) : rs.getString("detail")).append('\n');
                    }
                }
                System.out.println("  search-runs query plan" + (when.isEmpty() ? "" : " (" + when + ")") + ":\n" + plan.toString().indent(4));
                plans.put(backend + (when.isEmpty() ? "" : " (" + when + ")"), plan.toString());
            }
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (Exception e) {
            System.out.println("  (no plan: " + e.getMessage() + ")");
        }
    }

    private Result measure(Result r) {
        results.add(r);
        System.out.println("  " + Report.line(r));
        if (r.errors() > 0) {
            System.out.println("    !! " + r.errors() + " errors; first: " + r.firstError());
        }
        return r;
    }

    /** The HTTP-floor line shown inside another group (it was measured once per concurrency). */
    private void addFloorRef(String group, Result health) {
        if (health != null) {
            results.add(new Result(group, health.what(), health.backend(), health.concurrency(), health.n(), health.errors(), health.mean(), health.p50(),
                    health.p90(), health.p99(), health.max(), health.reqPerSec(), "", null, health.firstError(), health.cpu(), health.serverMeanMs()));
        }
    }

    private void note(String backend, String text) {
        notes.computeIfAbsent(backend, k -> new ArrayList<>()).add(text);
    }

    private LoadClient client(int port) {
        return LoadClient.create(o.client, "127.0.0.1", port);
    }

    // ---------------------------------------------------------------- operations

    private Runner.Op healthOp(int port) {
        LoadClient c = client(port);
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                long t0 = System.nanoTime();
                LoadClient.Response r = c.send("/health", null);
                long t = System.nanoTime() - t0;
                MlflowApi.ok(r, "/health");
                return t;
            }

            @Override
            public void release() {
                c.close();
            }
        };
    }

    private Runner.Op logMetricOp(int port, String experiment, String runName) throws Exception {
        LoadClient c = client(port);
        String runId = MlflowApi.createRun(c, experiment, runName, MlflowApi.T0, List.of());
        Random random = new Random(runName.hashCode());
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                byte[] body = MlflowApi.logMetricBody(runId, "loss", random.nextDouble(), MlflowApi.T0 + i, i);
                long t0 = System.nanoTime();
                LoadClient.Response r = c.send(MlflowApi.LOG_METRIC, body);
                long t = System.nanoTime() - t0;
                MlflowApi.ok(r, "log-metric");
                return t;
            }

            @Override
            public void release() {
                c.close();
            }
        };
    }

    private Runner.Op logBatchOp(int port, String experiment, int keys) throws Exception {
        LoadClient c = client(port);
        String runId = MlflowApi.createRun(c, experiment, "log-batch-" + keys, MlflowApi.T0, List.of());
        Random random = new Random(42);
        int steps = Math.max(1, o.batchSize / keys);
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                byte[] body = MlflowApi.logBatchBody(runId, o.batchSize, keys, i * steps, MlflowApi.T0 + i * steps, random);
                long t0 = System.nanoTime();
                LoadClient.Response r = c.send(MlflowApi.LOG_BATCH, body);
                long t = System.nanoTime() - t0;
                MlflowApi.ok(r, "log-batch");
                return t;
            }

            @Override
            public void release() {
                c.close();
            }
        };
    }

    /**
     * The same log-batch body for a run that does not exist: the server reads, parses and
     * validates all of it, asks the store for the run, and answers 404 having written nothing.
     * So this is the HTTP + JSON + validation cost of the request without the inserts.
     */
    private Runner.Op logBatchUnknownRunOp(int port, int keys) {
        LoadClient c = client(port);
        Random random = new Random(45);
        int steps = Math.max(1, o.batchSize / keys);
        String missing = "f".repeat(32);
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                byte[] body = MlflowApi.logBatchBody(missing, o.batchSize, keys, i * steps, MlflowApi.T0 + i * steps, random);
                long t0 = System.nanoTime();
                LoadClient.Response r = c.send(MlflowApi.LOG_BATCH, body);
                long t = System.nanoTime() - t0;
                if (r.status() != 404) {
                    throw new IOException("log-batch for an unknown run answered " + r.status() + ", expected 404: " + MlflowApi.abbreviate(r.text()));
                }
                return t;
            }

            @Override
            public void release() {
                c.close();
            }
        };
    }

    /** Parses a log-batch body with the server's own mapper and reads every metric's fields. */
    private Runner.Op jsonFloorOp(int keys) {
        Random random = new Random(7);
        int steps = Math.max(1, o.batchSize / keys);
        return i -> {
            byte[] body = MlflowApi.logBatchBody("0123456789abcdef0123456789abcdef", o.batchSize, keys, i * steps, MlflowApi.T0 + i * steps, random);
            long t0 = System.nanoTime();
            // The server reads the body as a String first (ctx.body()), then parses the tree.
            JsonNode node = Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8));
            double sum = 0;
            for (JsonNode m : node.get("metrics")) {
                sum += m.get("key").asText().length() + m.get("value").asDouble() + m.get("timestamp").asLong() + m.get("step").asLong();
            }
            long t = System.nanoTime() - t0;
            if (sum == 0) {
                throw new IllegalStateException("empty batch");
            }
            return t;
        };
    }

    private Runner.Op floorLogMetricOp(int port, String experiment, StoreFloor floor, String runName) throws Exception {
        String runId;
        try (LoadClient c = client(port)) {
            runId = MlflowApi.createRun(c, experiment, runName, MlflowApi.T0, List.of());
        }
        StoreFloor.Writer w = floor.new Writer();
        Random random = new Random(runName.hashCode());
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                double v = random.nextDouble();
                long t0 = System.nanoTime();
                w.logMetric(runId, "loss", v, MlflowApi.T0 + i, i);
                return System.nanoTime() - t0;
            }

            @Override
            public void release() throws Exception {
                w.close();
            }
        };
    }

    private Runner.Op floorLogBatchOp(int port, String experiment, StoreFloor floor, int batchKeys) throws Exception {
        String runId;
        try (LoadClient c = client(port)) {
            runId = MlflowApi.createRun(c, experiment, "floor-log-batch-" + batchKeys, MlflowApi.T0, List.of());
        }
        StoreFloor.Writer w = floor.new Writer();
        Random random = new Random(43);
        int n = o.batchSize;
        int steps = Math.max(1, n / batchKeys);
        String[] keys = new String[n];
        double[] values = new double[n];
        long[] timestamps = new long[n];
        long[] stepArr = new long[n];
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                // The same rows as logBatchBody: batchKeys keys x (n / batchKeys) new steps.
                int k = 0;
                for (int s = 0; s < steps && k < n; s++) {
                    for (int key = 0; key < batchKeys && k < n; key++, k++) {
                        keys[k] = String.format(Locale.ROOT, "metric_%03d", key);
                        values[k] = random.nextDouble();
                        timestamps[k] = MlflowApi.T0 + i * steps + s;
                        stepArr[k] = i * steps + s;
                    }
                }
                long t0 = System.nanoTime();
                w.logBatch(runId, Arrays.copyOf(keys, k), Arrays.copyOf(values, k), Arrays.copyOf(timestamps, k), Arrays.copyOf(stepArr, k));
                return System.nanoTime() - t0;
            }

            @Override
            public void release() throws Exception {
                w.close();
            }
        };
    }

    private Runner.Op storeLogMetricOp(int port, String experiment, InProcessStore store, String runName) throws Exception {
        String runId;
        try (LoadClient c = client(port)) {
            runId = MlflowApi.createRun(c, experiment, runName, MlflowApi.T0, List.of());
        }
        Random random = new Random(runName.hashCode());
        return i -> {
            io.mlopscore.tracking.model.Metric m = new io.mlopscore.tracking.model.Metric("loss", random.nextDouble(), MlflowApi.T0 + i, i);
            long t0 = System.nanoTime();
            store.runs.logMetric(runId, m);
            return System.nanoTime() - t0;
        };
    }

    private Runner.Op storeLogBatchOp(int port, String experiment, InProcessStore store, int batchKeys) throws Exception {
        String runId;
        try (LoadClient c = client(port)) {
            runId = MlflowApi.createRun(c, experiment, "store-log-batch-" + batchKeys, MlflowApi.T0, List.of());
        }
        Random random = new Random(44);
        int n = o.batchSize;
        int steps = Math.max(1, n / batchKeys);
        return i -> {
            List<io.mlopscore.tracking.model.Metric> metrics = new ArrayList<>(n);
            for (int s = 0; s < steps && metrics.size() < n; s++) {
                for (int key = 0; key < batchKeys && metrics.size() < n; key++) {
                    metrics.add(new io.mlopscore.tracking.model.Metric(String.format(Locale.ROOT, "metric_%03d", key), random.nextDouble(),
                            MlflowApi.T0 + i * steps + s, i * steps + s));
                }
            }
            long t0 = System.nanoTime();
            store.runs.logBatch(runId, metrics, List.of(), List.of());
            return System.nanoTime() - t0;
        };
    }

    private Runner.Op storeSearchOp(InProcessStore store, String experiment) {
        return i -> {
            long t0 = System.nanoTime();
            var page = store.search.searchRuns(List.of(experiment), o.filter, "ACTIVE_ONLY", (long) o.pageSize, List.of(o.orderBy), null);
            long t = System.nanoTime() - t0;
            if (page.items().size() < Math.min(o.pageSize, o.runs / 4)) {
                throw new IllegalStateException("in-process search found " + page.items().size() + " runs");
            }
            return t;
        };
    }

    /**
     * The tracking module's own store (Database with its pool and, on SQLite, its group-commit
     * writer; RunStore, SearchStore) opened in this process on the server's database.
     */
    static final class InProcessStore implements AutoCloseable {
        final io.mlopscore.tracking.store.Database db;
        final io.mlopscore.tracking.store.RunStore runs;
        final io.mlopscore.tracking.store.SearchStore search;

        InProcessStore(String uri) {
            db = io.mlopscore.tracking.store.Database.open(io.mlopscore.tracking.store.BackendUri.parse(uri));
            var experiments = new io.mlopscore.tracking.store.ExperimentStore(db, "./mlruns");
            var metrics = new io.mlopscore.tracking.store.MetricStore(db);
            runs = new io.mlopscore.tracking.store.RunStore(db, experiments, metrics, new io.mlopscore.tracking.store.DatasetStore());
            search = new io.mlopscore.tracking.store.SearchStore(db, experiments, runs);
        }

        @Override
        public void close() {
            db.close();
        }
    }

    private Runner.Op searchOp(int port, String experiment) {
        LoadClient c = client(port);
        byte[] body = MlflowApi.searchBody(experiment, o.filter, o.orderBy, o.pageSize);
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                long t0 = System.nanoTime();
                LoadClient.Response r = c.send(MlflowApi.SEARCH_RUNS, body);
                long t = System.nanoTime() - t0;
                MlflowApi.ok(r, "runs/search");
                JsonNode answer = MlflowApi.JSON.readTree(r.body());
                int n = answer.path("runs").size();
                int expected = Math.min(o.pageSize, o.runs / 4);
                if (n < expected) {
                    throw new IOException("runs/search returned " + n + " runs, expected at least " + expected);
                }
                return t;
            }

            @Override
            public void release() {
                c.close();
            }
        };
    }

    private Runner.Op floorSearchOp(StoreFloor floor, String experiment) throws Exception {
        StoreFloor.Searcher s = floor.new Searcher(experiment, o.filter, o.orderBy, o.pageSize);
        return new Runner.Op() {
            @Override
            public long run(long i) throws Exception {
                long t0 = System.nanoTime();
                int n = s.search();
                long t = System.nanoTime() - t0;
                if (n < Math.min(o.pageSize, o.runs / 4)) {
                    throw new IllegalStateException("floor search found " + n + " runs");
                }
                return t;
            }

            @Override
            public void release() throws Exception {
                s.close();
            }
        };
    }

    /**
     * Seeds the search experiment over HTTP, as clients would: per run a runs/create (with a tag)
     * and a log-batch of 5 params, 15 metric values (5 keys x 3 steps) and 2 tags; 8 clients.
     */
    private String seed(String backend, int port) throws Exception {
        String experiment;
        try (LoadClient c = client(port)) {
            experiment = MlflowApi.createExperiment(c, "bench-search");
        }
        Result r = Runner.run("seed", "runs/create + log-batch (22 values) per run", backend, o.concurrency,
                // Not repeatable: measuring it again on a busy machine would seed the runs twice.
                new Runner.Budget(0, o.runs, 600, false), w -> {
                    LoadClient c = client(port);
                    Random random = new Random(1000 + w);
                    return new Runner.Op() {
                        @Override
                        public long run(long i) throws Exception {
                            long t0 = System.nanoTime();
                            String runId = MlflowApi.createRun(c, experiment, "run-" + i, MlflowApi.T0 + i * 1000,
                                    List.<String[]>of(new String[] {"team", "team-" + (i % 10)}));
                            MlflowApi.call(c, MlflowApi.LOG_BATCH, MlflowApi.seedBatchBody(runId, (int) i, random));
                            return System.nanoTime() - t0;
                        }

                        @Override
                        public void release() {
                            c.close();
                        }
                    };
                });
        measure(r);
        if (r.n() != o.runs) {
            throw new IllegalStateException("seeded " + r.n() + " of " + o.runs + " runs: " + r.firstError());
        }
        return experiment;
    }

    // ---------------------------------------------------------------- machine

    private void describeMachine(Path work) {
        machine.put("cpus (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
        machine.put("cpu", firstMatch(Path.of("/proc/cpuinfo"), "model name"));
        String mem = firstMatch(Path.of("/proc/meminfo"), "MemTotal");
        machine.put("memory", mem.isEmpty() ? "?" : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1048576.0));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("server jvm options", String.join(" ", o.serverJvm));
        machine.put("server jar", describeJar(o.jar) + (o.jarNote == null ? "" : ", " + o.jarNote));
        machine.put("client", o.client.equals("raw") ? "raw keep-alive HTTP/1.1 sockets, one per client thread" : "java.net.http.HttpClient (HTTP/1.1)");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            machine.put("sqlite", rs.getString(1) + " (sqlite-jdbc), WAL, synchronous=FULL");
        } catch (Exception e) {
            machine.put("sqlite", "? (" + e.getMessage() + ")");
        }
        if (o.backends.contains("postgresql")) {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + o.pgHost + ":" + o.pgPort + "/" + o.pgDatabase, o.pgUser, null);
                 Statement s = c.createStatement()) {
                machine.put("postgresql", one(s, "SHOW server_version") + " on " + o.pgHost + ":" + o.pgPort + ", synchronous_commit="
                        + one(s, "SHOW synchronous_commit") + ", fsync=" + one(s, "SHOW fsync") + ", wal_sync_method=" + one(s, "SHOW wal_sync_method")
                        + ", shared_buffers=" + one(s, "SHOW shared_buffers"));
            } catch (Exception e) {
                machine.put("postgresql", "unreachable: " + e.getMessage());
            }
        }
        machine.put("disk fsync floor", fsyncFloor(work));
    }

    /** What one durable commit costs at least here: a 4 KiB write + fdatasync, 500 times, p50. */
    private static String fsyncFloor(Path work) {
        Path f = work.resolve("fsync-probe");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            long[] t = new long[500];
            for (int i = 0; i < t.length; i++) {
                b.clear();
                long t0 = System.nanoTime();
                ch.write(b, (long) (i % 64) * 4096);
                ch.force(false);
                t[i] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            return String.format(Locale.ROOT, "4 KiB write + fdatasync: p50 %.3f ms, p99 %.3f ms (ext4 on the same disk as the stores)",
                    Result.percentile(t, 50) / 1e6, Result.percentile(t, 99) / 1e6);
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        } finally {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // temp file
            }
        }
    }

    private static String describeJar(Path jar) {
        try {
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar))).substring(0, 12);
            return jar + " (" + Files.size(jar) / 1024 / 1024 + " MB, built " + Files.getLastModifiedTime(jar).toString().replaceAll("\\.\\d+Z$", "Z")
                    + ", sha256 " + sha + ")" + gitState(projectRoot());
        } catch (Exception e) {
            return jar + " (missing: " + e.getMessage() + ")";
        }
    }

    private static String gitState(Path root) {
        try {
            Process p = new ProcessBuilder("git", "-C", root.toString(), "log", "-1", "--format=%h").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Process d = new ProcessBuilder("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
            String dirty = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || head.isEmpty()) {
                return "";
            }
            d.waitFor();
            return ", tree at commit " + head + (dirty.isEmpty() ? "" : " with uncommitted changes");
        } catch (Exception e) {
            return "";
        }
    }

    private static String one(Statement s, String sql) throws java.sql.SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String firstMatch(Path file, String prefix) {
        try {
            for (String l : Files.readAllLines(file)) {
                if (l.startsWith(prefix)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "";
    }

    /** The project folder: from the jar's location (bench/target/...), else the working folder. */
    static Path projectRoot() {
        try {
            Path here = Path.of(TrackingBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("app")) && Files.isDirectory(p.resolve("bench"))) {
                    return p;
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return Path.of("").toAbsolutePath();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
