package io.mlopscore.tracking.store;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.DatasetInput;
import io.mlopscore.tracking.model.Experiment;
import io.mlopscore.tracking.model.LifecycleStage;
import io.mlopscore.tracking.model.Metric;
import io.mlopscore.tracking.model.Param;
import io.mlopscore.tracking.model.Run;
import io.mlopscore.tracking.model.RunInfo;
import io.mlopscore.tracking.model.RunStatus;
import io.mlopscore.tracking.model.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Runs, their params and tags, and batches of all three with metrics: SQL and MLflow's rules. */
public final class RunStore {
    /** The tag MLflow keeps equal to the run's name. */
    public static final String RUN_NAME_TAG = "mlflow.runName";

    private final Database db;
    private final ExperimentStore experiments;
    private final MetricStore metrics;
    private final DatasetStore datasets;

    public RunStore(Database db, ExperimentStore experiments, MetricStore metrics, DatasetStore datasets) {
        this.db = db;
        this.experiments = experiments;
        this.metrics = metrics;
        this.datasets = datasets;
    }

    public Run create(String experimentId, String userId, String runName, Long startTime, List<Tag> tags) {
        String tagName = tags.stream().filter(t -> RUN_NAME_TAG.equals(t.key())).map(Tag::value).findFirst().orElse(null);
        if (runName != null && !runName.isEmpty() && tagName != null && !runName.equals(tagName)) {
            throw ApiException.invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='"
                    + runName + "', mlflow.runName='" + tagName + "').");
        }
        String name = runName != null && !runName.isEmpty() ? runName : tagName != null && !tagName.isEmpty() ? tagName : RunNames.random();
        long expId = ExperimentStore.parseId(experimentId);
        String runId = UUID.randomUUID().toString().replace("-", "");
        long start = startTime != null ? startTime : System.currentTimeMillis();
        db.write(c -> {
            Experiment e = experiments.requireExisting(c, experimentId, expId);
            ExperimentStore.requireActive(e);
            String artifactUri = ArtifactLocations.runArtifactUri(e.artifactLocation(), runId);
            Sql.update(c, "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, "
                    + "source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, '', 'active', ?, ?, NULL)",
                    runId, name, userId == null ? "" : userId, start, artifactUri, expId);
            Map<String, String> merged = new LinkedHashMap<>();
            for (Tag t : tags) {
                merged.put(t.key(), t.value());
            }
            merged.put(RUN_NAME_TAG, name);
            for (Map.Entry<String, String> t : merged.entrySet()) {
                upsertTag(c, runId, new Tag(t.getKey(), t.getValue()));
            }
            return null;
        });
        return get(runId);
    }

    public Run get(String runId) {
        Run run = db.read(c -> {
            List<Run> runs = getMany(c, List.of(runId));
            return runs.isEmpty() ? null : runs.get(0);
        });
        if (run == null) {
            throw notFound(runId);
        }
        return run;
    }

    public RunInfo getInfo(String runId) {
        RunInfo info = db.read(c -> loadInfo(c, runId));
        if (info == null) {
            throw notFound(runId);
        }
        return info;
    }

    /** Loads whole runs in the order of the ids given: four queries, whatever the count. */
    public List<Run> getMany(Connection c, List<String> runIds) throws SQLException {
        if (runIds.isEmpty()) {
            return List.of();
        }
        String in = Sql.placeholders(runIds.size());
        Object[] ids = Sql.args(runIds);
        Map<String, RunInfo> infos = new HashMap<>();
        for (RunInfo info : Sql.query(c, "SELECT * FROM runs WHERE run_uuid IN (" + in + ")", RunStore::info, ids)) {
            infos.put(info.runId(), info);
        }
        Map<String, List<Param>> params = new HashMap<>();
        for (Object[] row : Sql.query(c, "SELECT run_uuid, key, value FROM params WHERE run_uuid IN (" + in + ")",
                rs -> new Object[] {rs.getString(1), new Param(rs.getString(2), rs.getString(3))}, ids)) {
            params.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((Param) row[1]);
        }
        Map<String, List<Tag>> tags = new HashMap<>();
        for (Object[] row : Sql.query(c, "SELECT run_uuid, key, value FROM tags WHERE run_uuid IN (" + in + ")",
                rs -> new Object[] {rs.getString(1), new Tag(rs.getString(2), rs.getString(3))}, ids)) {
            tags.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((Tag) row[1]);
        }
        Map<String, List<Metric>> latest = metrics.latestFor(c, runIds);
        Map<String, List<DatasetInput>> inputs = datasets.inputsFor(c, runIds);
        List<Run> out = new ArrayList<>(runIds.size());
        for (String id : runIds) {
            RunInfo info = infos.get(id);
            if (info != null) {
                out.add(new Run(info, latest.getOrDefault(id, List.of()), params.getOrDefault(id, List.of()),
                        tags.getOrDefault(id, List.of()), inputs.getOrDefault(id, List.of())));
            }
        }
        return out;
    }

    public RunInfo update(String runId, RunStatus status, Long endTime, String runName) {
        db.write(c -> {
            RunInfo info = requireActive(c, runId);
            RunStatus newStatus = status != null ? status : info.status();
            Long newEnd = endTime != null ? endTime : info.endTime();
            String newName = runName != null && !runName.isEmpty() ? runName : info.runName();
            Sql.update(c, "UPDATE runs SET status = ?, end_time = ?, name = ? WHERE run_uuid = ?", newStatus.name(), newEnd, newName, runId);
            if (runName != null && !runName.isEmpty()) {
                upsertTag(c, runId, new Tag(RUN_NAME_TAG, runName));
            }
            return null;
        });
        return getInfo(runId);
    }

    public void delete(String runId) {
        db.write(c -> {
            requireExisting(c, runId);
            Sql.update(c, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?", System.currentTimeMillis(), runId);
            return null;
        });
    }

    public void restore(String runId) {
        db.write(c -> {
            requireExisting(c, runId);
            Sql.update(c, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?", runId);
            return null;
        });
    }

    public void setTag(String runId, Tag tag) {
        db.write(c -> {
            requireActive(c, runId);
            upsertTag(c, runId, tag);
            return null;
        });
    }

    public void deleteTag(String runId, String key) {
        db.write(c -> {
            requireActive(c, runId);
            if (Sql.update(c, "DELETE FROM tags WHERE run_uuid = ? AND key = ?", runId, key) == 0) {
                throw ApiException.notFound("No tag with name: " + key + " in run with id " + runId);
            }
            return null;
        });
    }

    public void logParam(String runId, Param param) {
        db.write(c -> {
            requireActive(c, runId);
            insertParams(c, runId, List.of(param), true);
            return null;
        });
    }

    public void logMetric(String runId, Metric metric) {
        if (db.dialect() == Dialect.POSTGRESQL && db.writeOneStatement(c -> metrics.insertOneIfRunActive(c, runId, metric))) {
            return;
        }
        // SQLite, or a run that is missing or deleted: the checked path, which names the reason.
        db.write(c -> {
            requireActive(c, runId);
            metrics.insert(c, runId, List.of(metric));
            return null;
        });
    }

    /** Writes a batch in one transaction: a batch that breaks any rule writes nothing. */
    public void logBatch(String runId, List<Metric> batchMetrics, List<Param> params, List<Tag> tags) {
        db.write(c -> {
            requireActive(c, runId);
            insertParams(c, runId, params, false);
            metrics.insert(c, runId, batchMetrics);
            for (Tag t : tags) {
                upsertTag(c, runId, t);
            }
            return null;
        });
    }

    public void logInputs(String runId, List<DatasetInput> inputs) {
        db.write(c -> {
            RunInfo info = requireActive(c, runId);
            datasets.insert(c, Long.parseLong(info.experimentId()), runId, inputs);
            return null;
        });
    }

    /** Params are write-once: the same value again is accepted, another value is refused. */
    private void insertParams(Connection c, String runId, List<Param> params, boolean single) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Param p : params) {
            String before = wanted.putIfAbsent(p.key(), p.value());
            if (before != null && !before.equals(p.value())) {
                throw ApiException.invalid("Duplicate parameter keys have been submitted: [" + p.key() + "]. Please ensure the request contains only one param value per param key.");
            }
        }
        // Insert what is new and leave a key that is already there alone (a concurrent writer may have
        // just logged the same value: on PostgreSQL ON CONFLICT waits for it instead of failing)...
        try (PreparedStatement p = c.prepareStatement("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?) ON CONFLICT (key, run_uuid) DO NOTHING")) {
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                Sql.bind(p, e.getKey(), e.getValue(), runId);
                p.addBatch();
            }
            p.executeBatch();
        }
        // ...then every key must hold the value asked for; if one does not, the whole write is undone.
        List<Object> args = new ArrayList<>(wanted.keySet());
        args.add(runId);
        List<String[]> conflicts = new ArrayList<>();
        for (Param stored : Sql.query(c, "SELECT key, value FROM params WHERE key IN (" + Sql.placeholders(wanted.size()) + ") AND run_uuid = ?",
                rs -> new Param(rs.getString(1), rs.getString(2)), args.toArray())) {
            String attempted = wanted.get(stored.key());
            if (!Objects.equals(attempted, stored.value())) {
                conflicts.add(new String[] {stored.key(), stored.value(), attempted});
            }
        }
        if (!conflicts.isEmpty()) {
            throw paramChange(runId, conflicts, single);
        }
    }

    /** MLflow's wording, one form for log-parameter and one for log-batch. */
    private static ApiException paramChange(String runId, List<String[]> conflicts, boolean single) {
        if (single) {
            String[] c = conflicts.get(0);
            return ApiException.invalid("Changing param values is not allowed. Param with key='" + c[0] + "' was already logged with value='"
                    + c[1] + "' for run ID='" + runId + "'. Attempted logging new value '" + c[2] + "'.");
        }
        StringBuilder list = new StringBuilder("[");
        for (String[] c : conflicts) {
            if (list.length() > 1) {
                list.append(", ");
            }
            list.append("{'key': '").append(c[0]).append("', 'old_value': '").append(c[1]).append("', 'new_value': '").append(c[2]).append("'}");
        }
        return ApiException.invalid("Changing param values is not allowed. Params were already logged='" + list + "]' for run ID='" + runId + "'.");
    }

    private static void upsertTag(Connection c, String runId, Tag tag) throws SQLException {
        Sql.update(c, "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value",
                tag.key(), tag.value(), runId);
        if (RUN_NAME_TAG.equals(tag.key())) {
            Sql.update(c, "UPDATE runs SET name = ? WHERE run_uuid = ?", tag.value(), runId);
        }
    }

    RunInfo requireExisting(Connection c, String runId) throws SQLException {
        RunInfo info = loadInfo(c, runId);
        if (info == null) {
            throw notFound(runId);
        }
        return info;
    }

    /** The run, which must exist and be active: MLflow refuses writes to deleted runs. */
    RunInfo requireActive(Connection c, String runId) throws SQLException {
        RunInfo info = requireExisting(c, runId);
        if (!LifecycleStage.ACTIVE.equals(info.lifecycleStage())) {
            throw ApiException.invalid("The run " + runId + " must be in the 'active' state. Current state is " + info.lifecycleStage() + ".");
        }
        return info;
    }

    private static RunInfo loadInfo(Connection c, String runId) throws SQLException {
        return Sql.queryOne(c, "SELECT * FROM runs WHERE run_uuid = ?", RunStore::info, runId);
    }

    private static RunInfo info(ResultSet rs) throws SQLException {
        String status = rs.getString("status");
        return new RunInfo(rs.getString("run_uuid"), rs.getString("name"), Long.toString(rs.getLong("experiment_id")), rs.getString("user_id"),
                status == null ? RunStatus.RUNNING : RunStatus.valueOf(status), Sql.nullableLong(rs, "start_time"), Sql.nullableLong(rs, "end_time"),
                rs.getString("artifact_uri"), rs.getString("lifecycle_stage"));
    }

    static ApiException notFound(String runId) {
        return ApiException.notFound("Run with id=" + runId + " not found");
    }
}
