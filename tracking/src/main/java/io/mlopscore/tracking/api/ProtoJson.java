package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.common.http.Json;
import io.mlopscore.tracking.model.Dataset;
import io.mlopscore.tracking.model.DatasetInput;
import io.mlopscore.tracking.model.Experiment;
import io.mlopscore.tracking.model.Metric;
import io.mlopscore.tracking.model.Param;
import io.mlopscore.tracking.model.Run;
import io.mlopscore.tracking.model.RunInfo;
import io.mlopscore.tracking.model.Tag;
import java.util.List;

/**
 * Writes entities as MLflow 2.19's server does: proto field names, int64 as JSON numbers, enums by
 * name, and unset fields and empty lists left out (proto2 JSON of a message built from the store).
 */
public final class ProtoJson {
    private ProtoJson() {}

    public static ObjectNode experiment(Experiment e) {
        ObjectNode o = Json.object();
        o.put("experiment_id", e.experimentId());
        o.put("name", e.name());
        putIfSet(o, "artifact_location", e.artifactLocation());
        putIfSet(o, "lifecycle_stage", e.lifecycleStage());
        putIfSet(o, "last_update_time", e.lastUpdateTime());
        putIfSet(o, "creation_time", e.creationTime());
        putTags(o, "tags", e.tags());
        return o;
    }

    public static ObjectNode runInfo(RunInfo r) {
        ObjectNode o = Json.object();
        o.put("run_uuid", r.runId());
        o.put("experiment_id", r.experimentId());
        putIfSet(o, "run_name", r.runName());
        putIfSet(o, "user_id", r.userId());
        o.put("status", r.status().name());
        putIfSet(o, "start_time", r.startTime());
        putIfSet(o, "end_time", r.endTime());
        putIfSet(o, "artifact_uri", r.artifactUri());
        putIfSet(o, "lifecycle_stage", r.lifecycleStage());
        o.put("run_id", r.runId());
        return o;
    }

    public static ObjectNode run(Run run) {
        ObjectNode o = Json.object();
        o.set("info", runInfo(run.info()));
        ObjectNode data = o.putObject("data");
        if (!run.metrics().isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            run.metrics().forEach(m -> metrics.add(metric(m)));
        }
        if (!run.params().isEmpty()) {
            ArrayNode params = data.putArray("params");
            for (Param p : run.params()) {
                params.addObject().put("key", p.key()).put("value", p.value());
            }
        }
        putTags(data, "tags", run.tags());
        ObjectNode inputs = o.putObject("inputs");
        if (!run.inputs().isEmpty()) {
            ArrayNode datasetInputs = inputs.putArray("dataset_inputs");
            run.inputs().forEach(d -> datasetInputs.add(datasetInput(d)));
        }
        return o;
    }

    public static ObjectNode metric(Metric m) {
        ObjectNode o = Json.object();
        o.put("key", m.key());
        o.put("value", m.value());
        o.put("timestamp", m.timestamp());
        o.put("step", m.step());
        return o;
    }

    static ObjectNode datasetInput(DatasetInput d) {
        ObjectNode o = Json.object();
        putTags(o, "tags", d.tags());
        Dataset ds = d.dataset();
        ObjectNode dataset = o.putObject("dataset");
        dataset.put("name", ds.name());
        dataset.put("digest", ds.digest());
        dataset.put("source_type", ds.sourceType());
        dataset.put("source", ds.source());
        putIfSet(dataset, "schema", ds.schema());
        putIfSet(dataset, "profile", ds.profile());
        return o;
    }

    private static void putTags(ObjectNode o, String field, List<Tag> tags) {
        if (tags == null || tags.isEmpty()) {
            return;
        }
        ArrayNode array = o.putArray(field);
        for (Tag t : tags) {
            ObjectNode tag = array.addObject();
            tag.put("key", t.key());
            putIfSet(tag, "value", t.value());
        }
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void putIfSet(ObjectNode o, String field, Long value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
