package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.Dataset;
import io.mlopscore.tracking.model.DatasetInput;
import io.mlopscore.tracking.model.Metric;
import io.mlopscore.tracking.model.Param;
import io.mlopscore.tracking.model.Run;
import io.mlopscore.tracking.model.RunInfo;
import io.mlopscore.tracking.model.RunStatus;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.store.RunStore;
import io.mlopscore.tracking.store.SearchStore;
import io.mlopscore.tracking.validation.Validation;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/2.0/mlflow/runs/*}: request checks and answers; the store does the rest. */
public final class RunHandlers {
    private final RunStore runs;
    private final SearchStore search;

    public RunHandlers(RunStore runs, SearchStore search) {
        this.runs = runs;
        this.search = search;
    }

    public void create(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String experimentId = req.string("experiment_id");
        if (experimentId == null || experimentId.isEmpty()) {
            experimentId = "0"; // MLflow puts runs without an experiment into the Default one
        }
        List<Tag> tags = runTags(req.objectList("tags"));
        String runName = req.string("run_name");
        if (runName != null) {
            Validation.runName(runName);
        }
        String userId = req.string("user_id");
        Validation.userId(userId);
        Run run = runs.create(experimentId, userId, runName, req.int64("start_time"), tags);
        ObjectNode body = Responses.object();
        body.set("run", ProtoJson.run(run));
        Responses.json(ctx, body);
    }

    public void get(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        Run run = runs.get(req.requiredString("run_id", "run_uuid"));
        ObjectNode body = Responses.object();
        body.set("run", ProtoJson.run(run));
        Responses.json(ctx, body);
    }

    public void update(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        String status = req.string("status");
        String runName = req.string("run_name");
        if (runName != null) {
            Validation.runName(runName);
        }
        RunInfo info = runs.update(runId, status == null ? null : RunStatus.parse(status), req.int64("end_time"), runName);
        ObjectNode body = Responses.object();
        body.set("run_info", ProtoJson.runInfo(info));
        Responses.json(ctx, body);
    }

    public void delete(Context ctx) {
        runs.delete(ApiRequest.of(ctx).requiredString("run_id"));
        Responses.empty(ctx);
    }

    public void restore(Context ctx) {
        runs.restore(ApiRequest.of(ctx).requiredString("run_id"));
        Responses.empty(ctx);
    }

    public void logMetric(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        runs.logMetric(runId, metric(req));
        Responses.empty(ctx);
    }

    public void logParam(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        runs.logParam(runId, param(req));
        Responses.empty(ctx);
    }

    public void setTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        runs.setTag(runId, runTag(req));
        Responses.empty(ctx);
    }

    public void deleteTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        runs.deleteTag(req.requiredString("run_id"), req.requiredString("key"));
        Responses.empty(ctx);
    }

    public void logBatch(Context ctx) {
        int size = ctx.bodyAsBytes().length;
        if (size > Validation.MAX_BATCH_LOG_REQUEST_SIZE) {
            throw ApiException.invalid("Batched logging API requests must be at most " + Validation.MAX_BATCH_LOG_REQUEST_SIZE
                    + " bytes, got a request of " + size + " bytes.");
        }
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id");
        List<ApiRequest> rawMetrics = req.objectList("metrics");
        List<ApiRequest> rawParams = req.objectList("params");
        List<ApiRequest> rawTags = req.objectList("tags");
        List<Metric> metrics = new ArrayList<>(rawMetrics.size());
        rawMetrics.forEach(m -> metrics.add(metric(m)));
        List<Param> params = new ArrayList<>(rawParams.size());
        rawParams.forEach(p -> params.add(param(p)));
        List<Tag> tags = new ArrayList<>(rawTags.size());
        rawTags.forEach(t -> tags.add(runTag(t)));
        Validation.batchLimits(metrics, params, tags);
        runs.logBatch(runId, metrics, params, tags);
        Responses.empty(ctx);
    }

    public void logInputs(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id");
        List<DatasetInput> inputs = new ArrayList<>();
        for (ApiRequest item : req.objectList("datasets")) {
            inputs.add(datasetInput(item));
        }
        runs.logInputs(runId, inputs);
        Responses.empty(ctx);
    }

    public void search(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        SearchStore.Page<Run> page = search.searchRuns(req.stringList("experiment_ids"), req.string("filter"), req.string("run_view_type"),
                req.int64("max_results"), req.stringList("order_by"), req.string("page_token"));
        ObjectNode body = Responses.object();
        if (!page.items().isEmpty()) {
            ArrayNode list = body.putArray("runs");
            page.items().forEach(r -> list.add(ProtoJson.run(r)));
        }
        if (page.nextPageToken() != null) {
            body.put("next_page_token", page.nextPageToken());
        }
        Responses.json(ctx, body);
    }

    static Metric metric(ApiRequest m) {
        String key = m.requiredString("key");
        Validation.metricName(key);
        double value = m.requiredDouble("value");
        long timestamp = m.requiredInt64("timestamp");
        long step = m.int64("step", 0L);
        if (timestamp < 0) {
            throw ApiException.invalid("Got invalid timestamp " + timestamp + " for metric '" + key + "' (value=" + value
                    + "). Timestamp must be a nonnegative long (64-bit integer) ");
        }
        return new Metric(key, value, timestamp, step);
    }

    private static Param param(ApiRequest p) {
        String key = p.requiredString("key");
        Validation.paramName(key);
        String value = p.string("value");
        // As in MLflow, an absent value is the proto default, the empty string.
        return new Param(key, Validation.truncateParamValue(value == null ? "" : value));
    }

    private static Tag runTag(ApiRequest t) {
        String key = t.requiredString("key");
        Validation.tagName(key);
        String value = t.string("value");
        return new Tag(key, Validation.truncateRunTagValue(value == null ? "" : value));
    }

    private static List<Tag> runTags(List<ApiRequest> items) {
        List<Tag> tags = new ArrayList<>(items.size());
        items.forEach(t -> tags.add(runTag(t)));
        return tags;
    }

    private static DatasetInput datasetInput(ApiRequest item) {
        ApiRequest d = item.object("dataset");
        if (d == null) {
            throw ApiException.invalid("Missing value for required parameter 'datasets.dataset'. See the API docs for more information about request parameters.");
        }
        Dataset dataset = new Dataset(
                Validation.datasetField("name", d.requiredString("name"), Validation.MAX_DATASET_NAME_SIZE),
                Validation.datasetField("digest", d.requiredString("digest"), Validation.MAX_DATASET_DIGEST_SIZE),
                Validation.datasetField("source_type", d.requiredString("source_type"), 36),
                Validation.datasetField("source", d.requiredString("source"), Validation.MAX_DATASET_SOURCE_SIZE),
                Validation.datasetField("schema", d.string("schema"), Validation.MAX_DATASET_SCHEMA_SIZE),
                Validation.datasetField("profile", d.string("profile"), Validation.MAX_DATASET_PROFILE_SIZE));
        List<Tag> tags = new ArrayList<>();
        for (ApiRequest t : item.objectList("tags")) {
            String key = Validation.datasetField("key", t.requiredString("key"), Validation.MAX_INPUT_TAG_KEY_SIZE);
            String value = Validation.datasetField("value", t.requiredString("value"), Validation.MAX_INPUT_TAG_VALUE_SIZE);
            tags.add(new Tag(key, value));
        }
        return new DatasetInput(tags, dataset);
    }
}
