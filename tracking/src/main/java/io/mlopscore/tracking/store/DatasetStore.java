package io.mlopscore.tracking.store;

import io.mlopscore.tracking.model.Dataset;
import io.mlopscore.tracking.model.DatasetInput;
import io.mlopscore.tracking.model.Tag;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Datasets logged with log-inputs. As in MLflow's SQL store, a dataset is kept once per experiment
 * (name, digest) in {@code datasets}; each use by a run is an {@code inputs} row (DATASET to RUN)
 * whose tags are in {@code input_tags}.
 */
public final class DatasetStore {
    void insert(Connection c, long experimentId, String runId, List<DatasetInput> inputs) throws SQLException {
        for (DatasetInput input : inputs) {
            Dataset d = input.dataset();
            String datasetUuid = Sql.queryOne(c, "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?",
                    rs -> rs.getString(1), experimentId, d.name(), d.digest());
            if (datasetUuid == null) {
                datasetUuid = UUID.randomUUID().toString().replace("-", "");
                Sql.update(c, "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", datasetUuid, experimentId, d.name(), d.digest(), d.sourceType(), d.source(), d.schema(), d.profile());
            }
            String existing = Sql.queryOne(c, "SELECT input_uuid FROM inputs WHERE source_type = 'DATASET' AND source_id = ? AND destination_type = 'RUN' AND destination_id = ?",
                    rs -> rs.getString(1), datasetUuid, runId);
            if (existing != null) {
                continue; // logging the same dataset to the same run again changes nothing, as in MLflow
            }
            String inputUuid = UUID.randomUUID().toString().replace("-", "");
            Sql.update(c, "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) VALUES (?, 'DATASET', ?, 'RUN', ?)",
                    inputUuid, datasetUuid, runId);
            for (Tag t : input.tags()) {
                Sql.update(c, "INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?) ON CONFLICT (input_uuid, name) DO UPDATE SET value = excluded.value",
                        inputUuid, t.key(), t.value());
            }
        }
    }

    Map<String, List<DatasetInput>> inputsFor(Connection c, List<String> runIds) throws SQLException {
        Map<String, List<DatasetInput>> out = new HashMap<>();
        String in = Sql.placeholders(runIds.size());
        record Row(String runId, String inputUuid, Dataset dataset) {}
        List<Row> rows = Sql.query(c, "SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, d.dataset_schema, d.dataset_profile "
                + "FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id "
                + "WHERE i.destination_type = 'RUN' AND i.source_type = 'DATASET' AND i.destination_id IN (" + in + ") ORDER BY i.destination_id, d.name",
                rs -> new Row(rs.getString(1), rs.getString(2), new Dataset(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8))),
                Sql.args(runIds));
        if (rows.isEmpty()) {
            return out;
        }
        List<String> inputIds = rows.stream().map(Row::inputUuid).toList();
        Map<String, List<Tag>> tags = new HashMap<>();
        for (Object[] t : Sql.query(c, "SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN (" + Sql.placeholders(inputIds.size()) + ")",
                rs -> new Object[] {rs.getString(1), new Tag(rs.getString(2), rs.getString(3))}, Sql.args(inputIds))) {
            tags.computeIfAbsent((String) t[0], k -> new ArrayList<>()).add((Tag) t[1]);
        }
        for (Row r : rows) {
            out.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(new DatasetInput(tags.getOrDefault(r.inputUuid(), List.of()), r.dataset()));
        }
        return out;
    }
}
