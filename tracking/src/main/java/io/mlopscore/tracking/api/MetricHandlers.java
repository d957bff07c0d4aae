package io.mlopscore.tracking.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.Json;
import io.mlopscore.tracking.model.Metric;
import io.mlopscore.tracking.search.PageToken;
import io.mlopscore.tracking.store.MetricStore;
import io.mlopscore.tracking.store.RunStore;
import java.io.IOException;
import java.util.List;

/** {@code /api/2.0/mlflow/metrics/*}: metric histories, whole or paged, and sampled across runs. */
public final class MetricHandlers {
    /** get-history without max_results returns the whole history, as MLflow does; pages cap at this. */
    public static final int MAX_HISTORY_PAGE = 25_000;
    public static final int MAX_BULK_RUN_IDS = 100;
    public static final int DEFAULT_BULK_MAX_RESULTS = 2500;
    public static final int MAX_BULK_MAX_RESULTS = 2500;

    private final MetricStore metrics;
    private final RunStore runs;

    public MetricHandlers(MetricStore metrics, RunStore runs) {
        this.metrics = metrics;
        this.runs = runs;
    }

    public void getHistory(Context ctx) throws IOException {
        ApiRequest req = ApiRequest.of(ctx);
        String runId = req.requiredString("run_id", "run_uuid");
        String key = req.requiredString("metric_key");
        runs.getInfo(runId); // unknown run: RESOURCE_DOES_NOT_EXIST, not an empty history
        Long maxResults = req.int64("max_results");
        String token = req.string("page_token");
        if (maxResults != null && maxResults < 1) {
            throw ApiException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied: it must be a positive integer.");
        }
        // MLflow 2.19 answers every request with the whole history and no token. Paging is opt-in
        // here: a first request with max_results under 25,000 gets a page and a token. Without it,
        // or with 25,000 or more (the official Java client's fixed page size: it cannot follow a
        // token, it appends the next page to an unmodifiable list), the whole history comes back.
        if (token == null && (maxResults == null || maxResults >= MAX_HISTORY_PAGE)) {
            streamWholeHistory(ctx, runId, key);
            return;
        }
        int limit = (int) Math.min(maxResults == null ? MAX_HISTORY_PAGE : maxResults, MAX_HISTORY_PAGE);
        int offset = PageToken.decode(token);
        List<Metric> page = metrics.history(runId, key, offset, limit + 1);
        ObjectNode body = Responses.object();
        if (!page.isEmpty()) {
            ArrayNode list = body.putArray("metrics");
            page.stream().limit(limit).forEach(m -> list.add(ProtoJson.metric(m)));
        }
        if (page.size() > limit) {
            body.put("next_page_token", PageToken.encode(offset + limit));
        }
        Responses.json(ctx, body);
    }

    /** Writes the history as it is read, page by page, so a million points never sit in the heap at once. */
    private void streamWholeHistory(Context ctx, String runId, String key) throws IOException {
        ctx.contentType("application/json");
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(ctx.outputStream())) {
            json.writeStartObject();
            int offset = 0;
            List<Metric> page;
            do {
                page = metrics.history(runId, key, offset, MAX_HISTORY_PAGE);
                if (offset == 0 && !page.isEmpty()) {
                    json.writeArrayFieldStart("metrics");
                }
                for (Metric m : page) {
                    json.writeStartObject();
                    json.writeStringField("key", m.key());
                    json.writeNumberField("value", m.value());
                    json.writeNumberField("timestamp", m.timestamp());
                    json.writeNumberField("step", m.step());
                    json.writeEndObject();
                }
                offset += page.size();
            } while (page.size() == MAX_HISTORY_PAGE);
            if (offset > 0) {
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    public void getHistoryBulkInterval(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        List<String> runIds = req.stringList("run_ids");
        if (runIds.isEmpty()) {
            throw ApiException.invalid("GetMetricHistoryBulkInterval request must specify at least one run_id.");
        }
        if (runIds.size() > MAX_BULK_RUN_IDS) {
            throw ApiException.invalid("GetMetricHistoryBulkInterval request cannot specify more than " + MAX_BULK_RUN_IDS + " run_ids. Received " + runIds.size() + " run_ids.");
        }
        String key = req.requiredString("metric_key");
        Long startStep = req.int64("start_step");
        Long endStep = req.int64("end_step");
        if ((startStep == null) != (endStep == null)) {
            throw ApiException.invalid("If either start step or end step are specified, both must be specified.");
        }
        if (startStep != null && startStep > endStep) {
            throw ApiException.invalid("end_step must be greater than start_step. Found start_step=" + startStep + " and end_step=" + endStep + ".");
        }
        long maxResults = req.int64("max_results", DEFAULT_BULK_MAX_RESULTS);
        if (maxResults < 1 || maxResults > MAX_BULK_MAX_RESULTS) {
            throw ApiException.invalid("max_results must be between 1 and " + MAX_BULK_MAX_RESULTS + ".");
        }
        for (String runId : runIds) {
            runs.getInfo(runId);
        }
        ObjectNode body = Responses.object();
        List<MetricStore.MetricWithRunId> rows = metrics.historyAtSampledSteps(runIds, key, startStep, endStep, (int) maxResults);
        if (!rows.isEmpty()) {
            ArrayNode list = body.putArray("metrics");
            for (MetricStore.MetricWithRunId row : rows) {
                list.add(ProtoJson.metric(row.metric()).put("run_id", row.runId()));
            }
        }
        Responses.json(ctx, body);
    }
}
