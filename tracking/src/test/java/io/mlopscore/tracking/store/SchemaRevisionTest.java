package io.mlopscore.tracking.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.testing.Backend;
import io.mlopscore.tracking.testing.Http;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A database that is not at MLflow 2.19's schema revision is refused at start, with a message
 * naming what was found, and is left exactly as it was: migrating is {@code mlflow db upgrade}'s job.
 */
class SchemaRevisionTest {
    private static final String OLDER_REVISION = "bf29a5ff90ea";

    @TempDir
    Path artifacts;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.mlopscore.tracking.store.MlflowDatabases#backends")
    void aDatabaseAtAnotherRevisionIsRefusedAndLeftAsItWas(String kind) throws SQLException {
        MlflowDatabases.assumeAvailable(kind);
        try (Backend backend = Backend.of(kind)) {
            MlflowDatabases.createMlflowSchema(backend, OLDER_REVISION);
            try (Connection c = MlflowDatabases.connect(backend)) {
                // No experiments at all: a server that went on past the check would add "Default".
                Sql.update(c, "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES ('fraud-model', 1, 2, 'kept')");
            }
            List<String> before = snapshot(backend);

            assertThatThrownBy(() -> TrackingServer.start(MlflowDatabases.serverConfig(backend, artifacts)))
                    .isInstanceOf(Schema.UnsupportedSchemaException.class)
                    .hasMessageContaining("revision " + OLDER_REVISION)
                    .hasMessageContaining(MlflowDatabases.MLFLOW_2_19_REVISION)
                    .hasMessageContaining("mlflow db upgrade");

            assertThat(snapshot(backend)).containsExactlyElementsOf(before);
            try (Connection c = MlflowDatabases.connect(backend)) {
                assertThat(Sql.query(c, "SELECT version_num FROM alembic_version", rs -> rs.getString(1))).containsExactly(OLDER_REVISION);
                assertThat(Sql.query(c, "SELECT COUNT(*) FROM experiments", rs -> rs.getLong(1))).containsExactly(0L);
            }

            // Once MLflow has brought it to 2.19's revision, the same database opens.
            try (Connection c = MlflowDatabases.connect(backend)) {
                Sql.update(c, "UPDATE alembic_version SET version_num = ?", MlflowDatabases.MLFLOW_2_19_REVISION);
            }
            try (TrackingServer server = TrackingServer.start(MlflowDatabases.serverConfig(backend, artifacts))) {
                assertThat(new Http(server.url()).apiGet("experiments/get?experiment_id=0").at("/experiment/name").asText()).isEqualTo("Default");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.mlopscore.tracking.store.MlflowDatabases#backends")
    void aDatabaseOfUnrelatedTablesIsRefusedAndLeftAsItWas(String kind) throws SQLException {
        MlflowDatabases.assumeAvailable(kind);
        try (Backend backend = Backend.of(kind)) {
            try (Connection c = MlflowDatabases.connect(backend)) {
                Sql.update(c, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)");
                Sql.update(c, "INSERT INTO customers (id, name) VALUES (1, 'Ada'), (2, 'Grace')");
            }
            List<String> before = snapshot(backend);
            assertThat(before).contains("table customers", "customers: 1 | Ada", "customers: 2 | Grace");

            assertThatThrownBy(() -> TrackingServer.start(MlflowDatabases.serverConfig(backend, artifacts)))
                    .isInstanceOf(Schema.UnsupportedSchemaException.class)
                    .hasMessageContaining("no alembic_version table")
                    .hasMessageContaining("customers");

            assertThat(snapshot(backend)).as("no table added, no row changed").containsExactlyElementsOf(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.mlopscore.tracking.store.MlflowDatabases#backends")
    void anMlflowSchemaWithoutARevisionRowIsRefused(String kind) throws SQLException {
        MlflowDatabases.assumeAvailable(kind);
        try (Backend backend = Backend.of(kind)) {
            MlflowDatabases.createMlflowSchema(backend, null);
            List<String> before = snapshot(backend);

            assertThatThrownBy(() -> TrackingServer.start(MlflowDatabases.serverConfig(backend, artifacts)))
                    .isInstanceOf(Schema.UnsupportedSchemaException.class)
                    .hasMessageContaining("revision (none)");

            assertThat(snapshot(backend)).containsExactlyElementsOf(before);
        }
    }

    /** Every table, and every row of every table, of the backend's database (or schema), in a stable order. */
    private static List<String> snapshot(Backend backend) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = MlflowDatabases.connect(backend)) {
            for (String table : new TreeSet<>(Schema.tableNames(c))) {
                out.add("table " + table);
                List<String> rows = Sql.query(c, "SELECT * FROM " + table, rs -> {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        cells.add(String.valueOf(rs.getObject(i)));
                    }
                    return table + ": " + String.join(" | ", cells);
                });
                out.addAll(rows.stream().sorted().toList());
            }
            if (MlflowDatabases.dialect(backend) == Dialect.POSTGRESQL) {
                out.addAll(Sql.query(c, "SELECT 'sequence ' || sequencename || ' at ' || COALESCE(last_value, 0) FROM pg_sequences WHERE schemaname = ?",
                        rs -> rs.getString(1), MlflowDatabases.postgresSchema(backend)));
            } else {
                out.addAll(Sql.query(c, "SELECT type || ' ' || name FROM sqlite_master ORDER BY type, name", rs -> rs.getString(1)));
                // The journal mode is kept in the file: a refused database must not be switched to WAL.
                out.addAll(Sql.query(c, "PRAGMA journal_mode", rs -> "journal_mode " + rs.getString(1)));
            }
        }
        return out;
    }
}
