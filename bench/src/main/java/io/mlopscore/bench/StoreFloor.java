package io.mlopscore.bench;

import io.mlopscore.tracking.search.RunSearchSql;
import io.mlopscore.tracking.search.SqlQuery;
import io.mlopscore.tracking.search.ViewType;
import io.mlopscore.tracking.store.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The raw store floor: the SQL work behind an endpoint done directly over JDBC in the bench's own
 * process, on the same database the server uses (while the server is idle), with the same
 * durability (SQLite: WAL, synchronous=FULL, foreign_keys on; PostgreSQL: synchronous_commit as the
 * server finds it). Statements are prepared once and reused, and there is no HTTP, JSON, savepoint
 * or pool in the way, so this is the least the endpoint can cost on this machine.
 */
final class StoreFloor {
    static final String SELECT_RUN = "SELECT * FROM runs WHERE run_uuid = ?";
    static final String INSERT_METRIC =
            "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String UPSERT_LATEST = "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, "
            + "step = excluded.step, is_nan = excluded.is_nan "
            + "WHERE excluded.step > latest_metrics.step "
            + "OR (excluded.step = latest_metrics.step AND (latest_metrics.timestamp IS NULL OR excluded.timestamp > latest_metrics.timestamp "
            + "OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value >= latest_metrics.value)))";

    private final Dialect dialect;
    private final String jdbcUrl;
    private final Properties properties;

    private StoreFloor(Dialect dialect, String jdbcUrl, Properties properties) {
        this.dialect = dialect;
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
    }

    static StoreFloor sqlite(java.nio.file.Path file) {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "30000");
        p.setProperty("synchronous", "FULL");
        p.setProperty("foreign_keys", "true");
        p.setProperty("journal_mode", "WAL");
        return new StoreFloor(Dialect.SQLITE, "jdbc:sqlite:" + file, p);
    }

    static StoreFloor postgres(String jdbcUrl, String user) {
        Properties p = new Properties();
        p.setProperty("user", user);
        return new StoreFloor(Dialect.POSTGRESQL, jdbcUrl, p);
    }

    Dialect dialect() {
        return dialect;
    }

    Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, properties);
        // SQLite: transactions opened by hand with BEGIN IMMEDIATE, as the server's writer does.
        c.setAutoCommit(dialect == Dialect.SQLITE);
        return c;
    }

    /** A writer on its own connection: the transactions behind log-metric and log-batch. */
    final class Writer implements AutoCloseable {
        private final Connection c;
        private final Statement control;
        private final PreparedStatement selectRun;
        private final PreparedStatement insertMetric;
        private final PreparedStatement upsertLatest;

        Writer() throws SQLException {
            c = open();
            control = c.createStatement();
            selectRun = c.prepareStatement(SELECT_RUN);
            insertMetric = c.prepareStatement(INSERT_METRIC);
            upsertLatest = c.prepareStatement(UPSERT_LATEST);
        }

        private void begin() throws SQLException {
            if (dialect == Dialect.SQLITE) {
                control.execute("BEGIN IMMEDIATE");
            }
        }

        private void commit() throws SQLException {
            if (dialect == Dialect.SQLITE) {
                control.execute("COMMIT");
            } else {
                c.commit();
            }
        }

        private void rollback() {
            try {
                if (dialect == Dialect.SQLITE) {
                    control.execute("ROLLBACK");
                } else {
                    c.rollback();
                }
            } catch (SQLException ignored) {
                // the caller reports the first failure
            }
        }

        private void requireActive(String runId) throws SQLException {
            selectRun.setString(1, runId);
            try (ResultSet rs = selectRun.executeQuery()) {
                if (!rs.next() || !"active".equals(rs.getString("lifecycle_stage"))) {
                    throw new SQLException("run " + runId + " is missing or not active");
                }
            }
        }

        private void bind(PreparedStatement p, String runId, String key, double value, long timestamp, long step) throws SQLException {
            p.setString(1, key);
            p.setDouble(2, value);
            p.setLong(3, timestamp);
            p.setLong(4, step);
            p.setBoolean(5, false);
            p.setString(6, runId);
        }

        /** log-metric: check the run, append the value, move latest_metrics; one commit. */
        void logMetric(String runId, String key, double value, long timestamp, long step) throws SQLException {
            try {
                begin();
                requireActive(runId);
                bind(insertMetric, runId, key, value, timestamp, step);
                insertMetric.executeUpdate();
                bind(upsertLatest, runId, key, value, timestamp, step);
                upsertLatest.executeUpdate();
                commit();
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw e;
            }
        }

        /** log-batch: check the run, insert every row as one JDBC batch, upsert the newest per key; one commit. */
        void logBatch(String runId, String[] keys, double[] values, long[] timestamps, long[] steps) throws SQLException {
            try {
                begin();
                requireActive(runId);
                Map<String, Integer> newest = new LinkedHashMap<>();
                for (int i = 0; i < keys.length; i++) {
                    bind(insertMetric, runId, keys[i], values[i], timestamps[i], steps[i]);
                    insertMetric.addBatch();
                    newest.merge(keys[i], i, (a, b) -> steps[b] > steps[a] || steps[b] == steps[a] && timestamps[b] >= timestamps[a] ? b : a);
                }
                insertMetric.executeBatch();
                for (int i : newest.values()) {
                    bind(upsertLatest, runId, keys[i], values[i], timestamps[i], steps[i]);
                    upsertLatest.addBatch();
                }
                upsertLatest.executeBatch();
                commit();
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw e;
            }
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    /**
     * search-runs: the server's own compiled query for the page of run ids (RunSearchSql, the
     * same SQL text and bindings), then the five queries that load those runs (runs, params,
     * tags, latest_metrics, inputs+datasets), every column read out. Returns the runs found.
     */
    final class Searcher implements AutoCloseable {
        private final Connection c;
        private final SqlQuery query;
        private final int pageSize;

        Searcher(String experimentId, String filter, String orderBy, int pageSize) throws SQLException {
            this.c = DriverManager.getConnection(jdbcUrl, properties);
            this.c.setAutoCommit(true);
            this.pageSize = pageSize;
            this.query = RunSearchSql.compile(List.of(experimentId), filter, ViewType.parse("ACTIVE_ONLY"), List.of(orderBy),
                    pageSize + 1, 0, dialect);
        }

        String sql() {
            return query.sql();
        }

        int search() throws SQLException {
            List<String> ids = new ArrayList<>(pageSize + 1);
            try (PreparedStatement p = c.prepareStatement(query.sql())) {
                query.bind(p);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            List<String> page = ids.size() > pageSize ? ids.subList(0, pageSize) : ids;
            if (page.isEmpty()) {
                return 0;
            }
            String in = String.join(", ", Collections.nCopies(page.size(), "?"));
            int rows = readAll("SELECT * FROM runs WHERE run_uuid IN (" + in + ")", page);
            readAll("SELECT run_uuid, key, value FROM params WHERE run_uuid IN (" + in + ")", page);
            readAll("SELECT run_uuid, key, value FROM tags WHERE run_uuid IN (" + in + ")", page);
            readAll("SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid IN (" + in + ")", page);
            readAll("SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile "
                    + "FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id "
                    + "WHERE i.destination_type = 'RUN' AND i.source_type = 'DATASET' AND i.destination_id IN (" + in + ") ORDER BY i.destination_id, d.name", page);
            return rows;
        }

        private int readAll(String sql, List<String> ids) throws SQLException {
            int n = 0;
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < ids.size(); i++) {
                    p.setString(i + 1, ids.get(i));
                }
                try (ResultSet rs = p.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    int cols = md.getColumnCount();
                    while (rs.next()) {
                        for (int col = 1; col <= cols; col++) {
                            rs.getObject(col);
                        }
                        n++;
                    }
                }
            }
            return n;
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }
}
