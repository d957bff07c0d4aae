package io.mlopscore.tracking.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.testing.Backend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

/**
 * Databases as MLflow 2.19 leaves them, for the store tests: its schema executed from the reference
 * dumps in {@code src/test/resources/mlflow-2.19}, and raw JDBC on a test {@link Backend}.
 */
final class MlflowDatabases {
    /** The alembic revision of a store that MLflow 2.19 created or upgraded. */
    static final String MLFLOW_2_19_REVISION = "0584bdc529eb";

    private MlflowDatabases() {}

    /** The backend kinds the parameterized store tests run on. */
    static Stream<String> backends() {
        return Stream.of("sqlite", "postgresql");
    }

    /** Skips a PostgreSQL case where no PostgreSQL is reachable (outside CI, which fails instead). */
    static void assumeAvailable(String kind) {
        assumeTrue(!"postgresql".equals(kind) || Backend.postgresAvailable(), "PostgreSQL at 127.0.0.1:5432 is not reachable");
    }

    static Dialect dialect(Backend backend) {
        return "postgresql".equals(backend.kind()) ? Dialect.POSTGRESQL : Dialect.SQLITE;
    }

    /** The PostgreSQL schema a test backend lives in. */
    static String postgresSchema(Backend backend) {
        String uri = backend.uri();
        return uri.substring(uri.indexOf("currentSchema=") + "currentSchema=".length());
    }

    static Connection connect(Backend backend) throws SQLException {
        BackendUri uri = BackendUri.parse(backend.uri());
        return DriverManager.getConnection(uri.jdbcUrl(), uri.user(), uri.password());
    }

    /**
     * The statements of MLflow 2.19's reference schema; on PostgreSQL with {@code public.} replaced
     * by the given schema (pass "" to leave the tables to the connection's current schema).
     */
    static List<String> referenceStatements(Dialect dialect, String postgresSchema) {
        String resource = dialect == Dialect.SQLITE ? "/mlflow-2.19/sqlite-schema.sql" : "/mlflow-2.19/postgresql-schema.sql";
        String text;
        try (InputStream in = MlflowDatabases.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (dialect == Dialect.POSTGRESQL) {
            text = text.replace("public.", postgresSchema.isEmpty() ? "" : postgresSchema + ".");
        }
        return Schema.splitStatements(text);
    }

    /** Creates MLflow 2.19's tables in the backend and, unless null, the one alembic_version row. */
    static void createMlflowSchema(Backend backend, String revision) throws SQLException {
        try (Connection c = connect(backend)) {
            execute(c, referenceStatements(dialect(backend), ""));
            if (revision != null) {
                Sql.update(c, "INSERT INTO alembic_version (version_num) VALUES (?)", revision);
            }
        }
    }

    static void execute(Connection c, List<String> statements) throws SQLException {
        for (String sql : statements) {
            try (Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }
    }

    /** A server on a free loopback port over the backend, serving artifacts, as the tests start it. */
    static TrackingConfig serverConfig(Backend backend, Path artifacts) {
        return new TrackingConfig("127.0.0.1", 0, backend.uri(), null, artifacts.toString(), true, false, TrackingConfig.DEFAULT_MAX_REQUEST_BYTES);
    }
}
