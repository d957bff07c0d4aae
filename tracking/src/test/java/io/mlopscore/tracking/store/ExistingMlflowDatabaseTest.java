package io.mlopscore.tracking.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.testing.Backend;
import io.mlopscore.tracking.testing.Http;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A database shared with {@code mlflow server} 2.19, both ways: rows as MLflow 2.19 writes them
 * read back whole through our API, and what our server writes lands in the rows MLflow would write.
 */
class ExistingMlflowDatabaseTest {
    private static final long NOW = 1_735_000_000_000L;
    private static final String RUN = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final String DELETED_RUN = "0f9e8d7c6b5a49382716051423324150";
    private static final String DATASET = "d5e6f708192a3b4c5d6e7f8091a2b3c4";
    private static final String INPUT = "e7f8091a2b3c4d5e6f708192a3b4c5d6";

    @TempDir
    Path artifacts;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.mlopscore.tracking.store.MlflowDatabases#backends")
    void aDatabaseWrittenByMlflowReadsBackWhole(String kind) throws SQLException {
        MlflowDatabases.assumeAvailable(kind);
        try (Backend backend = Backend.of(kind)) {
            MlflowDatabases.createMlflowSchema(backend, MlflowDatabases.MLFLOW_2_19_REVISION);
            long fraud;
            try (Connection c = MlflowDatabases.connect(backend)) {
                fraud = writeAsMlflowDoes(c);
            }
            try (TrackingServer server = TrackingServer.start(MlflowDatabases.serverConfig(backend, artifacts))) {
                Http http = new Http(server.url());
                JsonNode defaultExperiment = http.apiGet("experiments/get?experiment_id=0").get("experiment");
                assertThat(defaultExperiment.get("name").asText()).isEqualTo("Default");
                assertThat(defaultExperiment.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/0");
                assertThat(defaultExperiment.get("creation_time").asLong()).isEqualTo(NOW);

                JsonNode experiment = http.apiGet("experiments/get?experiment_id=" + fraud).get("experiment");
                assertThat(experiment.get("name").asText()).isEqualTo("fraud-detection");
                assertThat(experiment.get("lifecycle_stage").asText()).isEqualTo("active");
                assertThat(pairs(experiment.get("tags"))).containsOnly(Map.entry("team", "risk"), Map.entry("mlflow.note.content", "Fraud models"));
                JsonNode search = http.api("experiments/search", Http.obj().put("max_results", 10));
                assertThat(search.get("experiments").findValuesAsText("experiment_id")).containsExactly(Long.toString(fraud), "0");

                JsonNode run = http.apiGet("runs/get?run_id=" + RUN).get("run");
                JsonNode info = run.get("info");
                assertThat(info.get("run_id").asText()).isEqualTo(RUN);
                assertThat(info.get("run_name").asText()).isEqualTo("gentle-owl-42");
                assertThat(info.get("experiment_id").asText()).isEqualTo(Long.toString(fraud));
                assertThat(info.get("user_id").asText()).isEqualTo("alice");
                assertThat(info.get("status").asText()).isEqualTo("FINISHED");
                assertThat(info.get("start_time").asLong()).isEqualTo(NOW);
                assertThat(info.get("end_time").asLong()).isEqualTo(NOW + 60_000);
                assertThat(info.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/" + fraud + "/" + RUN + "/artifacts");
                assertThat(info.get("lifecycle_stage").asText()).isEqualTo("active");

                Map<String, JsonNode> latest = new HashMap<>();
                run.at("/data/metrics").forEach(m -> latest.put(m.get("key").asText(), m));
                assertThat(latest).containsOnlyKeys("loss", "val_loss", "grad_norm");
                assertThat(latest.get("loss").get("value").asDouble()).isEqualTo(0.4);
                assertThat(latest.get("loss").get("step").asLong()).isEqualTo(2);
                assertThat(latest.get("loss").get("timestamp").asLong()).isEqualTo(NOW + 3000);
                assertThat(latest.get("val_loss").get("value").asText()).isEqualTo("NaN");
                assertThat(latest.get("grad_norm").get("value").asDouble()).isEqualTo(Double.MAX_VALUE);
                assertThat(pairs(run.at("/data/params"))).containsOnly(Map.entry("lr", "0.01"), Map.entry("epochs", "10"));
                assertThat(pairs(run.at("/data/tags"))).containsOnly(Map.entry("mlflow.runName", "gentle-owl-42"), Map.entry("mlflow.user", "alice"),
                        Map.entry("mlflow.source.name", "train.py"), Map.entry("mlflow.source.type", "LOCAL"));
                JsonNode input = run.at("/inputs/dataset_inputs/0");
                assertThat(pairs(input.get("tags"))).containsOnly(Map.entry("mlflow.data.context", "training"));
                assertThat(input.at("/dataset/name").asText()).isEqualTo("transactions");
                assertThat(input.at("/dataset/digest").asText()).isEqualTo("8d3a1f2c");
                assertThat(input.at("/dataset/source_type").asText()).isEqualTo("local");
                assertThat(input.at("/dataset/source").asText()).isEqualTo("{\"uri\": \"/data/transactions.csv\"}");
                assertThat(input.at("/dataset/profile").asText()).isEqualTo("{\"num_rows\": 1000}");

                JsonNode history = http.apiGet("metrics/get-history?run_id=" + RUN + "&metric_key=loss").get("metrics");
                assertThat(history.findValues("value").stream().map(JsonNode::asDouble)).containsExactly(0.9, 0.6, 0.4);
                assertThat(http.apiGet("metrics/get-history?run_id=" + RUN + "&metric_key=val_loss").at("/metrics/0/value").asText()).isEqualTo("NaN");

                assertThat(searchRunIds(http, fraud, "metrics.loss < 0.5", "ACTIVE_ONLY")).containsExactly(RUN);
                assertThat(searchRunIds(http, fraud, "params.lr = '0.01' AND tags.`mlflow.user` = 'alice'", "ACTIVE_ONLY")).containsExactly(RUN);
                assertThat(searchRunIds(http, fraud, "", "DELETED_ONLY")).containsExactly(DELETED_RUN);
                JsonNode deleted = http.apiGet("runs/get?run_id=" + DELETED_RUN).at("/run/info");
                assertThat(deleted.get("lifecycle_stage").asText()).isEqualTo("deleted");
                assertThat(deleted.get("status").asText()).isEqualTo("KILLED");

                String next = http.api("experiments/create", Http.obj().put("name", "after-mlflow")).get("experiment_id").asText();
                assertThat(next).as("the id after MLflow's last one").isEqualTo(Long.toString(fraud + 1));
                http.api("runs/log-metric", Http.obj().put("run_id", RUN).put("key", "loss").put("value", 0.3).put("timestamp", NOW + 4000).put("step", 3));
                assertThat(http.apiGet("runs/get?run_id=" + RUN).at("/run/data/metrics").findValuesAsText("value")).contains("0.3");
            }
            try (Connection c = MlflowDatabases.connect(backend)) {
                assertThat(Sql.query(c, "SELECT version_num FROM alembic_version", rs -> rs.getString(1))).containsExactly(MlflowDatabases.MLFLOW_2_19_REVISION);
                assertThat(Sql.query(c, "SELECT name FROM experiments ORDER BY experiment_id", rs -> rs.getString(1)))
                        .containsExactly("Default", "fraud-detection", "after-mlflow");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.mlopscore.tracking.store.MlflowDatabases#backends")
    void whatOurServerWritesIsStoredAsMlflowStoresIt(String kind) throws SQLException {
        MlflowDatabases.assumeAvailable(kind);
        try (Backend backend = Backend.of(kind)) {
            MlflowDatabases.createMlflowSchema(backend, MlflowDatabases.MLFLOW_2_19_REVISION);
            String exp;
            String run;
            try (TrackingServer server = TrackingServer.start(MlflowDatabases.serverConfig(backend, artifacts))) {
                Http http = new Http(server.url());
                exp = http.api("experiments/create", Http.obj().put("name", "from-mlops-core")).get("experiment_id").asText();
                run = http.api("runs/create", Http.obj().put("experiment_id", exp).put("run_name", "first-name").put("user_id", "bob").put("start_time", 1_234_567))
                        .at("/run/info/run_id").asText();
                logMetric(http, run, "nan", "NaN", 10, 0);
                logMetric(http, run, "inf", "Infinity", 10, 0);
                logMetric(http, run, "ninf", "-Infinity", 10, 0);
                logMetric(http, run, "loss", 0.5, 10, 0);
                logMetric(http, run, "loss", 0.25, 20, 1);
                http.api("runs/log-parameter", Http.obj().put("run_id", run).put("key", "lr").put("value", "0.01"));
                http.api("runs/update", Http.obj().put("run_id", run).put("status", "FINISHED").put("end_time", 1_234_999).put("run_name", "final-name"));
                ObjectNode inputs = Http.obj().put("run_id", run);
                ObjectNode input = inputs.putArray("datasets").addObject();
                input.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", "eval");
                input.putObject("dataset").put("name", "holdout").put("digest", "77aa11").put("source_type", "local").put("source", "{\"uri\": \"h.csv\"}");
                http.api("runs/log-inputs", inputs);
            }
            try (Connection c = MlflowDatabases.connect(backend)) {
                assertThat(row(c, "SELECT experiment_id, name, artifact_location, lifecycle_stage FROM experiments WHERE experiment_id = ?", Long.parseLong(exp)))
                        .containsExactly(exp, "from-mlops-core", "mlflow-artifacts:/" + exp, "active");
                assertThat(row(c, "SELECT run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, "
                        + "source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time FROM runs", null)).containsExactly(
                        run, "final-name", "UNKNOWN", "", "", "bob", "FINISHED", "1234567", "1234999", "", "active",
                        "mlflow-artifacts:/" + exp + "/" + run + "/artifacts", exp, null);
                assertThat(Sql.query(c, "SELECT t.value FROM tags t JOIN runs r ON r.run_uuid = t.run_uuid AND r.name = t.value WHERE t.key = 'mlflow.runName'",
                        rs -> rs.getString(1))).as("runs.name equals the mlflow.runName tag").containsExactly("final-name");
                assertThat(row(c, "SELECT key, value, run_uuid FROM params", null)).containsExactly("lr", "0.01", run);

                String metricColumns = "key, value, timestamp, step, is_nan, run_uuid";
                List<List<Object>> expected = List.of(
                        List.of("inf", Double.MAX_VALUE, 10L, 0L, false, run),
                        List.of("loss", 0.5, 10L, 0L, false, run),
                        List.of("loss", 0.25, 20L, 1L, false, run),
                        List.of("nan", 0.0, 10L, 0L, true, run),
                        List.of("ninf", -Double.MAX_VALUE, 10L, 0L, false, run));
                assertThat(metricRows(c, "SELECT " + metricColumns + " FROM metrics ORDER BY key, step")).containsExactlyElementsOf(expected);
                assertThat(metricRows(c, "SELECT " + metricColumns + " FROM latest_metrics ORDER BY key"))
                        .containsExactly(expected.get(0), expected.get(2), expected.get(3), expected.get(4));
                if (backend.kind().equals("sqlite")) {
                    assertThat(row(c, "SELECT DISTINCT typeof(value) || ' ' || typeof(timestamp) || ' ' || typeof(step) || ' ' || typeof(is_nan) FROM metrics", null))
                            .as("SQLite storage classes, as SQLAlchemy writes them").containsExactly("real integer integer integer");
                }

                String dataset = Sql.queryOne(c, "SELECT dataset_uuid FROM datasets", rs -> rs.getString(1));
                assertThat(dataset).matches("[0-9a-f]{32}");
                assertThat(row(c, "SELECT experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile FROM datasets", null))
                        .containsExactly(exp, "holdout", "77aa11", "local", "{\"uri\": \"h.csv\"}", null, null);
                String inputUuid = Sql.queryOne(c, "SELECT input_uuid FROM inputs", rs -> rs.getString(1));
                assertThat(inputUuid).matches("[0-9a-f]{32}");
                assertThat(row(c, "SELECT source_type, source_id, destination_type, destination_id FROM inputs", null)).containsExactly("DATASET", dataset, "RUN", run);
                assertThat(row(c, "SELECT input_uuid, name, value FROM input_tags", null)).containsExactly(inputUuid, "mlflow.data.context", "eval");
            }
        }
    }

    /** The rows of one MLflow 2.19 store: experiment 0 and one more with tags, a finished and a deleted run. */
    private static long writeAsMlflowDoes(Connection c) throws SQLException {
        Sql.update(c, "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) "
                + "VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', ?, ?)", NOW, NOW);
        Sql.update(c, "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) "
                + "VALUES ('fraud-detection', NULL, 'active', ?, ?)", NOW + 10, NOW + 10);
        long id = Sql.queryOne(c, "SELECT experiment_id FROM experiments WHERE name = 'fraud-detection'", rs -> rs.getLong(1));
        Sql.update(c, "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?", "mlflow-artifacts:/" + id, id);
        Sql.update(c, "INSERT INTO experiment_tags (key, value, experiment_id) VALUES ('team', 'risk', ?), ('mlflow.note.content', 'Fraud models', ?)", id, id);

        String runs = "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, "
                + "source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES (?, ?, 'UNKNOWN', '', '', 'alice', ?, ?, ?, '', ?, ?, ?, ?)";
        Sql.update(c, runs, RUN, "gentle-owl-42", "FINISHED", NOW, NOW + 60_000, "active", "mlflow-artifacts:/" + id + "/" + RUN + "/artifacts", id, null);
        Sql.update(c, runs, DELETED_RUN, "quiet-fox-7", "KILLED", NOW, NOW + 5_000, "deleted", "mlflow-artifacts:/" + id + "/" + DELETED_RUN + "/artifacts",
                id, NOW + 120_000);
        for (String[] tag : new String[][] {{"mlflow.runName", "gentle-owl-42"}, {"mlflow.user", "alice"}, {"mlflow.source.name", "train.py"},
                {"mlflow.source.type", "LOCAL"}}) {
            Sql.update(c, "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?)", tag[0], tag[1], RUN);
        }
        Sql.update(c, "INSERT INTO tags (key, value, run_uuid) VALUES ('mlflow.runName', 'quiet-fox-7', ?)", DELETED_RUN);
        Sql.update(c, "INSERT INTO params (key, value, run_uuid) VALUES ('lr', '0.01', ?), ('epochs', '10', ?)", RUN, RUN);

        String metric = "INSERT INTO %s (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?)";
        for (Object[] m : new Object[][] {{"loss", 0.9, NOW + 1000, 0, false}, {"loss", 0.6, NOW + 2000, 1, false}, {"loss", 0.4, NOW + 3000, 2, false},
                {"val_loss", 0.0, NOW + 3000, 2, true}, {"grad_norm", 1.7976931348623157e308, NOW + 3000, 2, false}}) {
            Sql.update(c, metric.formatted("metrics"), m[0], m[1], m[2], m[3], m[4], RUN);
            if (!"loss".equals(m[0]) || (int) m[3] == 2) {
                Sql.update(c, metric.formatted("latest_metrics"), m[0], m[1], m[2], m[3], m[4], RUN);
            }
        }

        Sql.update(c, "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile) "
                + "VALUES (?, ?, 'transactions', '8d3a1f2c', 'local', ?, ?, ?)", DATASET, id, "{\"uri\": \"/data/transactions.csv\"}",
                "{\"mlflow_colspec\": [{\"type\": \"double\", \"name\": \"amount\"}]}", "{\"num_rows\": 1000}");
        Sql.update(c, "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) VALUES (?, 'DATASET', ?, 'RUN', ?)",
                INPUT, DATASET, RUN);
        Sql.update(c, "INSERT INTO input_tags (input_uuid, name, value) VALUES (?, 'mlflow.data.context', 'training')", INPUT);
        return id;
    }

    private static List<String> searchRunIds(Http http, long experimentId, String filter, String viewType) {
        ObjectNode body = Http.obj().put("filter", filter).put("run_view_type", viewType);
        body.putArray("experiment_ids").add(Long.toString(experimentId));
        return http.api("runs/search", body).path("runs").findValuesAsText("run_id").stream().distinct().toList();
    }

    private static void logMetric(Http http, String run, String key, Object value, long timestamp, long step) {
        ObjectNode body = Http.obj().put("run_id", run).put("key", key).put("timestamp", timestamp).put("step", step);
        if (value instanceof Double d) {
            body.put("value", d);
        } else {
            body.put("value", (String) value);
        }
        http.api("runs/log-metric", body);
    }

    private static Map<String, String> pairs(JsonNode list) {
        Map<String, String> out = new HashMap<>();
        list.forEach(t -> out.put(t.get("key").asText(), t.get("value").asText()));
        return out;
    }

    /** The one row a query returns, every column read as text (numbers included), SQL NULL as null. */
    private static List<String> row(Connection c, String sql, Object arg) throws SQLException {
        List<List<String>> rows = Sql.query(c, sql, rs -> {
            List<String> cells = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                Object v = rs.getObject(i);
                cells.add(v == null ? null : v.toString());
            }
            return cells;
        }, arg == null ? new Object[0] : new Object[] {arg});
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0);
    }

    private static List<List<Object>> metricRows(Connection c, String sql) throws SQLException {
        return Sql.query(c, sql, rs -> Arrays.asList(rs.getString("key"), rs.getDouble("value"), rs.getLong("timestamp"), rs.getLong("step"),
                rs.getBoolean("is_nan"), rs.getString("run_uuid")));
    }
}
