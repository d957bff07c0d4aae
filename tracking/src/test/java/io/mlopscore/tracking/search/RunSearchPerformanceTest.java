package io.mlopscore.tracking.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlopscore.tracking.store.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 runs in a SQLite file: a metric filter ordered by that metric, first page of 100, must
 * come back well under 50 ms, each run's metric and param found through the primary-key indexes.
 */
class RunSearchPerformanceTest {
    private static final int RUNS = 10_000;

    @Test
    void metricFilterOrderedByMetricOnTenThousandRunsInSqlite(@TempDir Path dir) throws SQLException {
        try (SearchTestDatabase db = SearchTestDatabase.sqlite("jdbc:sqlite:" + dir.resolve("perf.db"))) {
            double[] acc = fill(db);
            SqlQuery query = query(Dialect.SQLITE);
            List<String> plan = plan(db.connection(), query);
            String index = " USING INDEX sqlite_autoindex_%s_1 \\(key=\\? AND run_uuid=\\?\\)( LEFT-JOIN)?";
            assertThat(plan).as(String.join("\n", plan))
                    .anyMatch(line -> line.matches("SEARCH o1" + index.formatted("latest_metrics")))
                    .anyMatch(line -> line.matches("SEARCH f1" + index.formatted("latest_metrics")))
                    .anyMatch(line -> line.matches("SEARCH f2" + index.formatted("params")))
                    .noneMatch(line -> line.matches("SCAN (o1|f1|f2)\\b.*"));
            assertThat(db.ids(query)).containsExactlyElementsOf(expectedFirstPage(acc));
            assertThat(bestMillis(db, query)).isLessThan(50.0);
        }
    }

    /** The same on PostgreSQL where it is reachable, as a sanity bound rather than a target. */
    @Test
    void metricFilterOrderedByMetricOnTenThousandRunsInPostgres() throws SQLException {
        assumeTrue(SearchTestDatabase.postgresAvailable(), "PostgreSQL at 127.0.0.1:5432 is not reachable");
        try (SearchTestDatabase db = SearchTestDatabase.postgres()) {
            double[] acc = fill(db);
            SqlQuery query = query(Dialect.POSTGRESQL);
            assertThat(db.ids(query)).containsExactlyElementsOf(expectedFirstPage(acc));
            assertThat(bestMillis(db, query)).isLessThan(200.0);
        }
    }

    private static SqlQuery query(Dialect dialect) {
        return RunSearchSql.compile(List.of("1"), "metrics.acc > 0.5 and params.lr = '0.01'", ViewType.ACTIVE_ONLY,
                List.of("metrics.acc DESC"), 100, 0, dialect);
    }

    private static double bestMillis(SearchTestDatabase db, SqlQuery query) throws SQLException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 15; i++) { // the first rounds warm the JIT and the database's caches
            long start = System.nanoTime();
            assertThat(db.ids(query)).hasSize(100);
            best = Math.min(best, System.nanoTime() - start);
        }
        System.out.printf("%s: search of %d runs, metric filter + order by metric, page of 100: best %.1f ms%n",
                db.dialect, RUNS, best / 1e6);
        return best / 1e6;
    }

    /** Runs r00000..r09999: acc random, loss on every other run, lr '0.01' on three runs in four. */
    private static double[] fill(SearchTestDatabase db) throws SQLException {
        Connection c = db.connection();
        db.experiment(1, "perf", "active", 1L, 1L);
        c.setAutoCommit(false);
        Random random = new Random(42);
        double[] acc = new double[RUNS];
        try (PreparedStatement run = c.prepareStatement("INSERT INTO runs (run_uuid, name, user_id, status, start_time,"
                + " lifecycle_stage, artifact_uri, experiment_id) VALUES (?, ?, 'u', 'FINISHED', ?, 'active', 'a', 1)");
             PreparedStatement metric = c.prepareStatement("INSERT INTO latest_metrics (key, value, timestamp, step,"
                     + " is_nan, run_uuid) VALUES (?, ?, 0, 0, ?, ?)");
             PreparedStatement param = c.prepareStatement("INSERT INTO params (key, value, run_uuid) VALUES ('lr', ?, ?)")) {
            for (int i = 0; i < RUNS; i++) {
                String id = id(i);
                run.setString(1, id);
                run.setString(2, id);
                run.setLong(3, startTime(i));
                run.addBatch();
                acc[i] = Math.round(random.nextDouble() * 1000) / 1000.0; // ties in acc, broken by start_time
                addMetric(metric, "acc", acc[i], id);
                if (i % 2 == 0) {
                    addMetric(metric, "loss", random.nextDouble(), id);
                }
                param.setString(1, i % 4 == 3 ? "0.1" : "0.01");
                param.setString(2, id);
                param.addBatch();
            }
            run.executeBatch();
            metric.executeBatch();
            param.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        try (var s = c.createStatement()) {
            s.execute("ANALYZE");
        }
        return acc;
    }

    private static List<String> expectedFirstPage(double[] acc) {
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            if (acc[i] > 0.5 && i % 4 != 3) {
                matching.add(i);
            }
        }
        matching.sort(java.util.Comparator.<Integer>comparingDouble(i -> -acc[i])
                .thenComparing(i -> -startTime(i))
                .thenComparing(RunSearchPerformanceTest::id));
        return matching.stream().limit(100).map(RunSearchPerformanceTest::id).toList();
    }

    private static List<String> plan(Connection c, SqlQuery query) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + query.sql())) {
            query.bind(ps);
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    lines.add(rs.getString("detail"));
                }
            }
            return lines;
        }
    }

    private static void addMetric(PreparedStatement metric, String key, double value, String runId) throws SQLException {
        metric.setString(1, key);
        metric.setDouble(2, value);
        metric.setBoolean(3, false);
        metric.setString(4, runId);
        metric.addBatch();
    }

    private static String id(int i) {
        return String.format("r%05d", i);
    }

    private static long startTime(int i) {
        return 1_700_000_000_000L + i % 5000; // every start time twice
    }
}
