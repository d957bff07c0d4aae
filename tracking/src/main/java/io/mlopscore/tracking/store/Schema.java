package io.mlopscore.tracking.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Creates MLflow 2.19's schema in an empty database, and refuses any database at another revision.
 *
 * <p>The schema is MLflow's own (alembic head {@value #MLFLOW_ALEMBIC_HEAD}), so a database made by
 * {@code mlflow server} 2.19 opens here with all its data, and one made here opens in MLflow. A
 * database at another revision is left untouched: migrating it is MLflow's job
 * ({@code mlflow db upgrade}), and guessing would risk the data.
 */
public final class Schema {
    /** The alembic head revision of MLflow 2.19.x. */
    public static final String MLFLOW_ALEMBIC_HEAD = "0584bdc529eb";

    /** Raised when the database exists but is not at the supported revision. */
    public static final class UnsupportedSchemaException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedSchemaException(String message) {
            super(message);
        }
    }

    private Schema() {}

    /** Creates the schema if the database is empty; checks the revision otherwise. */
    public static void ensure(Database db, String defaultArtifactRoot) {
        db.write(c -> {
            if (db.dialect() == Dialect.POSTGRESQL && c.getSchema() == null) {
                throw new UnsupportedSchemaException("The PostgreSQL search path names no existing schema (check ?currentSchema= in the URI;"
                        + " create the schema first, for example CREATE SCHEMA mlflow).");
            }
            Set<String> tables = tableNames(c);
            if (tables.isEmpty()) {
                for (String statement : statements(db.dialect())) {
                    try (Statement s = c.createStatement()) {
                        s.execute(statement);
                    }
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO alembic_version (version_num) VALUES (?)")) {
                    p.setString(1, MLFLOW_ALEMBIC_HEAD);
                    p.executeUpdate();
                }
            } else {
                checkRevision(c, tables);
            }
            createDefaultExperiment(c, defaultArtifactRoot);
            return null;
        });
    }

    private static void checkRevision(Connection c, Set<String> tables) throws SQLException {
        if (!tables.contains("alembic_version")) {
            throw new UnsupportedSchemaException("The database has tables (" + String.join(", ", tables)
                    + ") but no alembic_version table, so it is not an MLflow tracking database. mlops-core left it untouched; "
                    + "point --backend-store-uri at an empty database or one made by MLflow 2.19.");
        }
        List<String> revisions = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version_num FROM alembic_version")) {
            while (rs.next()) {
                revisions.add(rs.getString(1));
            }
        }
        if (!revisions.equals(List.of(MLFLOW_ALEMBIC_HEAD))) {
            throw new UnsupportedSchemaException("The database is at MLflow schema revision " + (revisions.isEmpty() ? "(none)" : String.join(",", revisions))
                    + ", but mlops-core uses MLflow 2.19's revision " + MLFLOW_ALEMBIC_HEAD
                    + ". mlops-core left it untouched. Bring it to that revision with MLflow 2.19's `mlflow db upgrade <uri>` first"
                    + " (back up the database before), or use an empty database.");
        }
    }

    /** MLflow creates experiment 0, "Default", when a store has no experiments at all; so do we. */
    private static void createDefaultExperiment(Connection c, String defaultArtifactRoot) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM experiments")) {
            rs.next();
            if (rs.getLong(1) > 0) {
                return;
            }
        }
        long now = System.currentTimeMillis();
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (0, ?, ?, 'active', ?, ?)")) {
            p.setString(1, "Default");
            p.setString(2, ArtifactLocations.experimentLocation(defaultArtifactRoot, "0"));
            p.setLong(3, now);
            p.setLong(4, now);
            p.executeUpdate();
        }
    }

    static Set<String> tableNames(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    static List<String> statements(Dialect dialect) {
        String resource = dialect == Dialect.SQLITE ? "schema-sqlite.sql" : "schema-postgresql.sql";
        try (InputStream in = Schema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing schema resource " + resource);
            }
            return splitStatements(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DDL script as its statements: "--" comment lines dropped, each statement ending at a line ending in ";". */
    static List<String> splitStatements(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.trim().endsWith(";")) {
                String sql = current.toString().trim();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }
}
