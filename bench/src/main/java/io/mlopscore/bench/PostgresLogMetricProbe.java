package io.mlopscore.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * log-metric on PostgreSQL from 8 threads over plain JDBC, two ways: the server's transaction of
 * four statements (run check, metrics insert, latest_metrics upsert, commit) and the same work as
 * one statement in autocommit (a CTE). Uses a throw-away schema {@code probe_<random>} with
 * MLflow's metrics/latest_metrics/runs columns, keys and foreign keys, dropped at the end. A probe
 * behind docs/benchmarks.md ("Where we fall short"), not a benchmark of the server.
 *
 * <pre>
 * java -cp bench/target/tracking-bench.jar io.mlopscore.bench.PostgresLogMetricProbe [jdbc-url] [user]
 * </pre>
 */
public final class PostgresLogMetricProbe {
    private static final String UPSERT_TAIL = " ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, "
            + "step = excluded.step, is_nan = excluded.is_nan WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step "
            + "AND (latest_metrics.timestamp IS NULL OR excluded.timestamp > latest_metrics.timestamp "
            + "OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value >= latest_metrics.value)))";
    private static final int THREADS = 8;

    private PostgresLogMetricProbe() {}

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test";
        String user = args.length > 1 ? args[1] : "postgres";
        LoadClient.requireLoopback(java.net.URI.create(base.substring("jdbc:".length())).getHost());
        String schema = "probe_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        try (Connection c = DriverManager.getConnection(base, user, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path = " + schema);
            s.execute("CREATE TABLE runs (run_uuid varchar(32) PRIMARY KEY, lifecycle_stage varchar(20))");
            s.execute("CREATE TABLE metrics (key varchar(250) NOT NULL, value double precision NOT NULL, \"timestamp\" bigint NOT NULL, "
                    + "run_uuid varchar(32) NOT NULL REFERENCES runs(run_uuid), step bigint DEFAULT 0 NOT NULL, is_nan boolean DEFAULT false NOT NULL, "
                    + "CONSTRAINT metric_pk PRIMARY KEY (key, \"timestamp\", step, run_uuid, value, is_nan))");
            s.execute("CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid)");
            s.execute("CREATE TABLE latest_metrics (key varchar(250) NOT NULL, value double precision NOT NULL, \"timestamp\" bigint, "
                    + "step bigint NOT NULL, is_nan boolean NOT NULL, run_uuid varchar(32) NOT NULL REFERENCES runs(run_uuid), "
                    + "CONSTRAINT latest_metric_pk PRIMARY KEY (key, run_uuid))");
            s.execute("CREATE INDEX index_latest_metrics_run_uuid ON latest_metrics (run_uuid)");
            for (int t = 0; t < THREADS; t++) {
                s.execute("INSERT INTO runs VALUES ('run" + t + "', 'active')");
            }
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        try {
            for (String mode : new String[] {"4 statements, 1 tx", "1 CTE statement, autocommit", "4 statements, 1 tx", "1 CTE statement, autocommit"}) {
                System.out.printf(Locale.ROOT, "%-30s %6.0f tx/s with %d threads%n", mode, run(url, user, mode.startsWith("4")), THREADS);
            }
        } finally {
            try (Connection c = DriverManager.getConnection(base, user, null); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** 2 s warm-up, 4 s measured; returns transactions per second. */
    private static double run(String url, String user, boolean fourStatements) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + 2_000_000_000L;
        long end = start + 6_000_000_000L;
        AtomicLong measured = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String run = "run" + t;
            Thread thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, user, null);
                     PreparedStatement select = c.prepareStatement("SELECT * FROM runs WHERE run_uuid = ?");
                     PreparedStatement insert = c.prepareStatement(StoreFloor.INSERT_METRIC);
                     PreparedStatement upsert = c.prepareStatement("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)" + UPSERT_TAIL);
                     PreparedStatement cte = c.prepareStatement("WITH r AS (SELECT run_uuid FROM runs WHERE run_uuid = ? AND lifecycle_stage = 'active'), "
                             + "m AS (INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) SELECT ?, ?, ?, ?, ?, run_uuid FROM r ON CONFLICT DO NOTHING), "
                             + "l AS (INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) SELECT ?, ?, ?, ?, ?, run_uuid FROM r"
                             + UPSERT_TAIL + ") SELECT count(*) FROM r")) {
                    Random random = new Random();
                    long i = 0;
                    while (System.nanoTime() < end) {
                        i++;
                        double v = random.nextDouble();
                        if (fourStatements) {
                            c.setAutoCommit(false);
                            select.setString(1, run);
                            try (ResultSet rs = select.executeQuery()) {
                                rs.next();
                            }
                            bind(insert, 1, v, i);
                            insert.setString(6, run);
                            insert.executeUpdate();
                            bind(upsert, 1, v, i);
                            upsert.setString(6, run);
                            upsert.executeUpdate();
                            c.commit();
                            c.setAutoCommit(true);
                        } else {
                            cte.setString(1, run);
                            bind(cte, 2, v, i);
                            bind(cte, 7, v, i);
                            try (ResultSet rs = cte.executeQuery()) {
                                rs.next();
                                if (rs.getLong(1) != 1) {
                                    throw new IllegalStateException("run " + run + " not found");
                                }
                            }
                        }
                        if (System.nanoTime() > measureFrom) {
                            measured.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }, "probe-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return measured.get() / 4.0;
    }

    /** key, value, timestamp, step, is_nan from parameter {@code first} on. */
    private static void bind(PreparedStatement p, int first, double value, long i) throws java.sql.SQLException {
        p.setString(first, "loss");
        p.setDouble(first + 1, value);
        p.setLong(first + 2, i);
        p.setLong(first + 3, i);
        p.setBoolean(first + 4, false);
    }
}
