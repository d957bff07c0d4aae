package io.mlopscore.tracking.search;

import io.mlopscore.tracking.store.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A database with MLflow 2.19's schema, made from the reference schema files in test resources:
 * an in-memory SQLite, or a fresh schema of the PostgreSQL at 127.0.0.1:5432 (database test,
 * user postgres) dropped on close. Rows are inserted by hand with the helpers below.
 */
final class SearchTestDatabase implements AutoCloseable {
    static final String POSTGRES_JDBC = System.getProperty("mlopscore.test.postgres.jdbc",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    final Dialect dialect;
    private final Connection connection;
    private final String schema;

    private SearchTestDatabase(Dialect dialect, Connection connection, String schema) {
        this.dialect = dialect;
        this.connection = connection;
        this.schema = schema;
    }

    static SearchTestDatabase sqlite() throws SQLException {
        return sqlite("jdbc:sqlite::memory:");
    }

    static SearchTestDatabase sqlite(String jdbcUrl) throws SQLException {
        SearchTestDatabase db = new SearchTestDatabase(Dialect.SQLITE, DriverManager.getConnection(jdbcUrl), null);
        db.runScript(schemaScript("sqlite-schema.sql"));
        return db;
    }

    static SearchTestDatabase postgres() throws SQLException {
        String schema = "search_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Connection c = DriverManager.getConnection(POSTGRES_JDBC);
        SearchTestDatabase db = new SearchTestDatabase(Dialect.POSTGRESQL, c, schema);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
        }
        db.runScript(schemaScript("postgresql-schema.sql").replace("public.", ""));
        return db;
    }

    /** Whether PostgreSQL is there; under CI (CI=true) its absence fails instead of skipping. */
    static boolean postgresAvailable() {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(POSTGRES_JDBC)) {
            return c.isValid(2);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must provide PostgreSQL at 127.0.0.1:5432: " + e.getMessage(), e);
            }
            return false;
        }
    }

    private static String schemaScript(String file) {
        try (InputStream in = SearchTestDatabase.class.getResourceAsStream("/mlflow-2.19/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.stripLeading().startsWith("--")).collect(Collectors.joining("\n"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void runScript(String script) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String statement : script.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    /** Empties the tables the searches read. */
    void clear() throws SQLException {
        for (String table : List.of("input_tags", "inputs", "datasets", "latest_metrics", "params", "tags", "runs",
                "experiment_tags", "experiments")) {
            exec("DELETE FROM " + table);
        }
    }

    void exec(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Runs a compiled search and returns the first column of each row, in order. */
    List<String> ids(SqlQuery query) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(query.sql())) {
            query.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        }
    }

    List<String> column(String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> values = new ArrayList<>();
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
                return values;
            }
        }
    }

    Connection connection() {
        return connection;
    }

    // Row helpers. Values not given are what MLflow writes for a fresh run.

    void experiment(long id, String name, String stage, Long creationTime, Long lastUpdateTime) throws SQLException {
        exec("INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)"
                + " VALUES (?, ?, ?, ?, ?, ?)", id, name, "file:/tmp/" + id, stage, creationTime, lastUpdateTime);
    }

    void experimentTag(long experimentId, String key, String value) throws SQLException {
        exec("INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)", key, value, experimentId);
    }

    /** An active RUNNING run named after its id, with the run-name tag MLflow sets. */
    void run(String id, long experimentId, Long startTime) throws SQLException {
        exec("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time,"
                        + " end_time, source_version, lifecycle_stage, artifact_uri, experiment_id)"
                        + " VALUES (?, ?, 'LOCAL', '', '', ?, 'RUNNING', ?, NULL, '', 'active', ?, ?)",
                id, id, "user-" + id, startTime, "file:/tmp/" + experimentId + "/" + id + "/artifacts", experimentId);
        tag(id, "mlflow.runName", id);
    }

    void updateRun(String id, String column, Object value) throws SQLException {
        exec("UPDATE runs SET " + column + " = ? WHERE run_uuid = ?", value, id);
    }

    void metric(String runId, String key, double value) throws SQLException {
        exec("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, 1, 0, ?, ?)",
                key, value, false, runId);
    }

    /** MLflow stores a NaN metric as value 0 with is_nan set. */
    void nanMetric(String runId, String key) throws SQLException {
        exec("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, 0, 1, 0, ?, ?)",
                key, true, runId);
    }

    void param(String runId, String key, String value) throws SQLException {
        exec("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)", key, value, runId);
    }

    void tag(String runId, String key, String value) throws SQLException {
        exec("INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", key, value, runId);
    }

    void dataset(String uuid, long experimentId, String name, String digest) throws SQLException {
        exec("INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source)"
                + " VALUES (?, ?, ?, ?, 'local', 'src')", uuid, experimentId, name, digest);
    }

    /** A dataset input of a run, with a context input tag unless context is null. */
    void input(String inputUuid, String datasetUuid, String runId, String context) throws SQLException {
        exec("INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id)"
                + " VALUES (?, 'DATASET', ?, 'RUN', ?)", inputUuid, datasetUuid, runId);
        if (context != null) {
            exec("INSERT INTO input_tags (input_uuid, name, value) VALUES (?, 'mlflow.data.context', ?)", inputUuid, context);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            if (schema != null) {
                try (Statement s = connection.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        } finally {
            connection.close();
        }
    }
}
