package io.mlopscore.tracking.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.tracking.testing.Backend;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The schema {@link Schema} creates is MLflow 2.19's, object by object: one database is built by
 * Schema.ensure, one by executing the reference dump MLflow 2.19 produced, and the engines' own
 * catalogs of the two are compared.
 */
class SchemaTest {
    private static final int MLFLOW_TABLE_COUNT = 19;

    @Test
    void onSqliteEveryTableColumnKeyIndexAndCheckIsMlflows() throws SQLException {
        try (Backend ours = Backend.sqlite(); Backend reference = Backend.sqlite()) {
            try (Database db = Database.open(BackendUri.parse(ours.uri()))) {
                Schema.ensure(db, "mlflow-artifacts:/");
            }
            try (Connection c = MlflowDatabases.connect(reference)) {
                MlflowDatabases.execute(c, MlflowDatabases.referenceStatements(Dialect.SQLITE, ""));
            }
            try (Connection o = MlflowDatabases.connect(ours); Connection r = MlflowDatabases.connect(reference)) {
                List<String> tables = rows(r, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
                assertThat(tables).hasSize(MLFLOW_TABLE_COUNT).contains("experiments", "runs", "metrics", "latest_metrics", "trace_info");
                assertThat(rows(o, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).containsExactlyElementsOf(tables);

                for (String table : tables) {
                    assertThat(rows(o, "PRAGMA table_info(\"" + table + "\")")).as("columns (cid, name, type, notnull, default, pk) of " + table)
                            .containsExactlyElementsOf(rows(r, "PRAGMA table_info(\"" + table + "\")"));
                    assertThat(rows(o, "PRAGMA foreign_key_list(\"" + table + "\")")).as("foreign keys of " + table)
                            .containsExactlyInAnyOrderElementsOf(rows(r, "PRAGMA foreign_key_list(\"" + table + "\")"));
                    assertThat(sqliteIndexes(o, table)).as("indexes, autoindexes included, of " + table).containsExactlyElementsOf(sqliteIndexes(r, table));
                    String ourSql = createSql(o, table);
                    String referenceSql = createSql(r, table);
                    assertThat(checks(ourSql)).as("CHECK constraints of " + table).containsExactlyElementsOf(checks(referenceSql));
                    assertThat(normalized(ourSql)).as("CREATE TABLE text of " + table).isEqualTo(normalized(referenceSql));
                }
                assertThat(rows(o, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").stream()
                        .map(SchemaTest::normalized).toList()).as("CREATE INDEX statements")
                        .hasSize(11)
                        .containsExactlyElementsOf(rows(r, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                                .stream().map(SchemaTest::normalized).toList());

                assertThat(checks(createSql(o, "runs"))).contains(
                        normalized("runs_lifecycle_stage: lifecycle_stage IN ('active', 'deleted')"),
                        normalized("status IN ('SCHEDULED', 'FAILED', 'FINISHED', 'RUNNING', 'KILLED')"));
                assertThat(rows(o, "SELECT version_num FROM alembic_version")).containsExactly(MlflowDatabases.MLFLOW_2_19_REVISION);
            }
        }
    }

    @Test
    @EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
    void onPostgresqlEveryColumnConstraintIndexAndTheSequenceAreMlflows() throws SQLException {
        try (Backend ours = Backend.postgres(); Backend reference = Backend.postgres()) {
            String o = MlflowDatabases.postgresSchema(ours);
            String r = MlflowDatabases.postgresSchema(reference);
            try (Database db = Database.open(BackendUri.parse(ours.uri()))) {
                Schema.ensure(db, "mlflow-artifacts:/");
            }
            try (Connection c = DriverManager.getConnection(Backend.POSTGRES_ADMIN_JDBC)) {
                MlflowDatabases.execute(c, MlflowDatabases.referenceStatements(Dialect.POSTGRESQL, r));

                String tables = "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name";
                assertThat(pg(c, r, tables)).hasSize(MLFLOW_TABLE_COUNT);
                assertThat(pg(c, o, tables)).containsExactlyElementsOf(pg(c, r, tables));

                String columns = "SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, numeric_precision, "
                        + "is_nullable, column_default FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position";
                assertThat(pg(c, r, columns)).contains(
                        "experiments | experiment_id | 1 | integer | null | 32 | NO | nextval('experiments_experiment_id_seq'::regclass)",
                        "metrics | step | 5 | bigint | null | 64 | NO | '0'::bigint");
                assertThat(pg(c, o, columns)).as("columns").containsExactlyElementsOf(pg(c, r, columns));

                String keys = "SELECT tc.table_name, tc.constraint_name, tc.constraint_type, k.column_name, k.ordinal_position, "
                        + "k.position_in_unique_constraint, rc.unique_constraint_name, rc.update_rule, rc.delete_rule, rc.match_option "
                        + "FROM information_schema.table_constraints tc "
                        + "LEFT JOIN information_schema.key_column_usage k ON k.constraint_schema = tc.constraint_schema "
                        + "AND k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name "
                        + "LEFT JOIN information_schema.referential_constraints rc ON rc.constraint_schema = tc.constraint_schema "
                        + "AND rc.constraint_name = tc.constraint_name "
                        + "WHERE tc.table_schema = ? AND tc.constraint_type <> 'CHECK' ORDER BY tc.table_name, tc.constraint_name, k.ordinal_position";
                assertThat(pg(c, r, keys)).contains(
                        "registered_model_aliases | registered_model_alias_name_fkey | FOREIGN KEY | name | 1 | 1 | registered_model_pk | CASCADE | CASCADE | NONE",
                        "experiments | experiments_name_key | UNIQUE | name | 1 | null | null | null | null | null");
                assertThat(pg(c, o, keys)).as("primary, unique and foreign keys").containsExactlyElementsOf(pg(c, r, keys));

                String definitions = "SELECT cl.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con "
                        + "JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = con.connamespace "
                        + "WHERE n.nspname = ? AND con.contype <> 'c' ORDER BY cl.relname, con.conname";
                assertThat(pg(c, o, definitions)).as("key definitions").containsExactlyElementsOf(pg(c, r, definitions));
                // PostgreSQL re-parses a CHECK, so the dump's text executed again is stored in another (equal)
                // form; ours must read back exactly as the dump of MLflow's own database shows it.
                String checks = "SELECT cl.relname, 'CONSTRAINT ' || con.conname || ' ' || pg_get_constraintdef(con.oid) FROM pg_constraint con "
                        + "JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = con.connamespace "
                        + "WHERE n.nspname = ? AND con.contype = 'c' ORDER BY cl.relname, con.conname";
                List<String> ourChecks = new ArrayList<>();
                for (String row : pg(c, o, checks)) {
                    String[] cells = row.split(" \\| ", 2);
                    checks(cells[1]).forEach(check -> ourChecks.add(cells[0] + " " + check));
                }
                assertThat(ourChecks.stream().sorted()).as("CHECK constraints").hasSize(4).containsExactlyElementsOf(dumpChecks());

                String indexes = "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ? ORDER BY tablename, indexname";
                assertThat(pg(c, r, indexes)).contains("metrics | index_metrics_run_uuid | CREATE INDEX index_metrics_run_uuid ON metrics USING btree (run_uuid)");
                assertThat(pg(c, o, indexes)).as("indexes").containsExactlyElementsOf(pg(c, r, indexes));

                String sequences = "SELECT s.sequence_name, s.data_type, s.start_value, s.minimum_value, s.maximum_value, s.increment, s.cycle_option, "
                        + "p.cache_size FROM information_schema.sequences s JOIN pg_sequences p ON p.schemaname = s.sequence_schema "
                        + "AND p.sequencename = s.sequence_name WHERE s.sequence_schema = ? ORDER BY s.sequence_name";
                assertThat(pg(c, r, sequences)).containsExactly("experiments_experiment_id_seq | integer | 1 | 1 | 2147483647 | 1 | NO | 1");
                assertThat(pg(c, o, sequences)).as("sequences").containsExactlyElementsOf(pg(c, r, sequences));
                String owner = "SELECT pg_get_serial_sequence(? || '.experiments', 'experiment_id')";
                assertThat(pg(c, o, owner)).as("the sequence is owned by experiments.experiment_id")
                        .containsExactly("experiments_experiment_id_seq").isEqualTo(pg(c, r, owner));

                assertThat(rows(c, "SELECT version_num FROM " + o + ".alembic_version")).containsExactly(MlflowDatabases.MLFLOW_2_19_REVISION);
            }
        }
    }

    /** The CHECK constraints written in MLflow's pg_dump, as "table name: condition", by table then name. */
    private static List<String> dumpChecks() {
        List<String> out = new ArrayList<>();
        for (String statement : MlflowDatabases.referenceStatements(Dialect.POSTGRESQL, "")) {
            Matcher table = Pattern.compile("^CREATE TABLE (\\w+)").matcher(statement);
            if (table.find()) {
                checks(statement).forEach(check -> out.add(table.group(1) + " " + check));
            }
        }
        return out.stream().sorted().toList();
    }

    /** Each row as its columns joined by " | ". */
    private static List<String> rows(Connection c, String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            Sql.bind(p, args);
            try (ResultSet rs = p.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        cells.add(String.valueOf(rs.getObject(i)));
                    }
                    out.add(String.join(" | ", cells));
                }
            }
        }
        return out;
    }

    /** A catalog query about one PostgreSQL schema, with that schema's name taken out of the values. */
    private static List<String> pg(Connection c, String schema, String sql) throws SQLException {
        return rows(c, sql, schema).stream().map(row -> row.replace(schema + ".", "")).toList();
    }

    /** PRAGMA index_list (name, unique, origin, partial) with each index's PRAGMA index_info columns. */
    private static List<String> sqliteIndexes(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name")) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    out.add(name + " unique=" + rs.getInt(2) + " origin=" + rs.getString(3) + " partial=" + rs.getInt(4)
                            + " columns=" + rows(c, "SELECT seqno, cid, name FROM pragma_index_info(?) ORDER BY seqno", name));
                }
            }
        }
        return out;
    }

    private static String createSql(Connection c, String table) throws SQLException {
        return rows(c, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table).get(0);
    }

    private static final Pattern CHECK = Pattern.compile("(?:CONSTRAINT\\s+(\\w+)\\s+)?CHECK\\s*\\(", Pattern.CASE_INSENSITIVE);

    /** The CHECK clauses of a CREATE TABLE, as "name: condition" (or the condition alone when unnamed). */
    static List<String> checks(String createTable) {
        List<String> out = new ArrayList<>();
        Matcher m = CHECK.matcher(createTable);
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            while (depth > 0) {
                char ch = createTable.charAt(i++);
                depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            }
            String condition = normalized(createTable.substring(m.end(), i - 1));
            out.add(m.group(1) == null ? condition : m.group(1) + ": " + condition);
        }
        return out;
    }

    /** SQL with layout taken out: runs of whitespace become one space, and none is kept beside brackets and commas. */
    static String normalized(String sql) {
        return sql.replaceAll("\\s+", " ").replaceAll(" ?([(),]) ?", "$1").trim();
    }
}
