package io.mlopscore.tracking.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.tracking.testing.Http;
import io.mlopscore.tracking.testing.Http.Response;
import io.mlopscore.tracking.testing.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tracking REST API over raw HTTP: MLflow's semantics, JSON shapes and error answers.
 * Subclasses run it on each backend store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TrackingApiContract {
    ServerFixture fixture;
    Http http;

    abstract String backendKind();

    @BeforeAll
    void startServer() {
        fixture = ServerFixture.start(backendKind());
        http = fixture.http;
    }

    @AfterAll
    void stopServer() {
        if (fixture != null) {
            fixture.close();
        }
    }

    String newExperiment(String name) {
        return http.api("experiments/create", Http.obj().put("name", name + "-" + System.nanoTime())).get("experiment_id").asText();
    }

    String newRun(String experimentId) {
        return http.api("runs/create", Http.obj().put("experiment_id", experimentId).put("start_time", 1000)).at("/run/info/run_id").asText();
    }

    JsonNode getRun(String runId) {
        return http.apiGet("runs/get?run_id=" + runId).get("run");
    }

    @Test
    void aNewStoreHasTheDefaultExperimentWithIdZero() {
        JsonNode e = http.apiGet("experiments/get?experiment_id=0").get("experiment");
        assertThat(e.get("experiment_id").asText()).isEqualTo("0");
        assertThat(e.get("name").asText()).isEqualTo("Default");
        assertThat(e.get("lifecycle_stage").asText()).isEqualTo("active");
        assertThat(e.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/0");
    }

    @Test
    void experimentsAreCreatedFetchedByIdAndNameAndNamesAreUnique() {
        ObjectNode body = Http.obj().put("name", "exp-unique-" + System.nanoTime());
        body.putArray("tags").addObject().put("key", "team").put("value", "ml");
        String id = http.api("experiments/create", body).get("experiment_id").asText();
        JsonNode e = http.apiGet("experiments/get?experiment_id=" + id).get("experiment");
        assertThat(e.get("name").asText()).isEqualTo(body.get("name").asText());
        assertThat(e.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(e.get("creation_time").isIntegralNumber()).isTrue();
        assertThat(e.get("last_update_time").isIntegralNumber()).isTrue();
        assertThat(e.at("/tags/0/key").asText()).isEqualTo("team");
        JsonNode byName = http.apiGet("experiments/get-by-name?experiment_name=" + body.get("name").asText()).get("experiment");
        assertThat(byName.get("experiment_id").asText()).isEqualTo(id);

        Response again = http.post("/api/2.0/mlflow/experiments/create", body);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void unknownExperimentAndRunAreResourceDoesNotExist() {
        Response e = http.get("/api/2.0/mlflow/experiments/get?experiment_id=987654");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Response r = http.get("/api/2.0/mlflow/runs/get?run_id=0123456789abcdef0123456789abcdef");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Response n = http.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=nope-" + System.nanoTime());
        assertThat(n.status()).isEqualTo(404);
    }

    @Test
    void renameDeleteAndRestoreAnExperimentAlsoDeletesAndRestoresItsRuns() {
        String exp = newExperiment("lifecycle");
        String run = newRun(exp);
        http.api("experiments/update", Http.obj().put("experiment_id", exp).put("new_name", "renamed-" + exp + "-" + System.nanoTime()));
        assertThat(http.apiGet("experiments/get?experiment_id=" + exp).at("/experiment/name").asText()).startsWith("renamed-");
        http.api("experiments/delete", Http.obj().put("experiment_id", exp));
        assertThat(http.apiGet("experiments/get?experiment_id=" + exp).at("/experiment/lifecycle_stage").asText()).isEqualTo("deleted");
        assertThat(getRun(run).at("/info/lifecycle_stage").asText()).isEqualTo("deleted");
        Response create = http.post("/api/2.0/mlflow/runs/create", Http.obj().put("experiment_id", exp));
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        http.api("experiments/restore", Http.obj().put("experiment_id", exp));
        assertThat(getRun(run).at("/info/lifecycle_stage").asText()).isEqualTo("active");
    }

    @Test
    void experimentTagsAreSetOverwrittenAndDeleted() {
        String exp = newExperiment("exptags");
        http.api("experiments/set-experiment-tag", Http.obj().put("experiment_id", exp).put("key", "k").put("value", "1"));
        http.api("experiments/set-experiment-tag", Http.obj().put("experiment_id", exp).put("key", "k").put("value", "2"));
        JsonNode tags = http.apiGet("experiments/get?experiment_id=" + exp).at("/experiment/tags");
        assertThat(tags).hasSize(1);
        assertThat(tags.at("/0/value").asText()).isEqualTo("2");
        http.api("experiments/delete-experiment-tag", Http.obj().put("experiment_id", exp).put("key", "k"));
        assertThat(http.apiGet("experiments/get?experiment_id=" + exp).at("/experiment").has("tags")).isFalse();
    }

    @Test
    void aRunHasMlflowsShapeAndItsNameFollowsTheRunNameTag() {
        String exp = newExperiment("shape");
        JsonNode run = http.api("runs/create", Http.obj().put("experiment_id", exp).put("run_name", "first").put("user_id", "ann").put("start_time", 1234)).get("run");
        JsonNode info = run.get("info");
        String id = info.get("run_id").asText();
        assertThat(id).hasSize(32);
        assertThat(info.get("run_uuid").asText()).isEqualTo(id);
        assertThat(info.get("run_name").asText()).isEqualTo("first");
        assertThat(info.get("experiment_id").asText()).isEqualTo(exp);
        assertThat(info.get("status").asText()).isEqualTo("RUNNING");
        assertThat(info.get("start_time").asLong()).isEqualTo(1234);
        assertThat(info.has("end_time")).isFalse();
        assertThat(info.get("artifact_uri").asText()).isEqualTo("mlflow-artifacts:/" + exp + "/" + id + "/artifacts");
        assertThat(run.at("/data/tags/0/key").asText()).isEqualTo("mlflow.runName");
        assertThat(run.has("inputs")).isTrue();

        http.api("runs/set-tag", Http.obj().put("run_id", id).put("key", "mlflow.runName").put("value", "second"));
        assertThat(getRun(id).at("/info/run_name").asText()).isEqualTo("second");
        JsonNode updated = http.api("runs/update", Http.obj().put("run_id", id).put("status", "FINISHED").put("end_time", 5678).put("run_name", "third"));
        assertThat(updated.at("/run_info/status").asText()).isEqualTo("FINISHED");
        assertThat(updated.at("/run_info/end_time").asLong()).isEqualTo(5678);
        assertThat(updated.at("/run_info/run_name").asText()).isEqualTo("third");
        assertThat(tagValue(getRun(id), "mlflow.runName")).isEqualTo("third");
    }

    @Test
    void runNameAndRunNameTagMustAgreeWhenBothAreGiven() {
        ObjectNode body = Http.obj().put("experiment_id", "0").put("run_name", "a");
        body.putArray("tags").addObject().put("key", "mlflow.runName").put("value", "b");
        Response r = http.post("/api/2.0/mlflow/runs/create", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void paramsAreWriteOnce() {
        String run = newRun(newExperiment("params"));
        http.api("runs/log-parameter", Http.obj().put("run_id", run).put("key", "lr").put("value", "0.1"));
        http.api("runs/log-parameter", Http.obj().put("run_id", run).put("key", "lr").put("value", "0.1"));
        Response changed = http.post("/api/2.0/mlflow/runs/log-parameter", Http.obj().put("run_id", run).put("key", "lr").put("value", "0.2"));
        assertThat(changed.status()).isEqualTo(400);
        assertThat(changed.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(changed.json().get("message").asText()).contains("Changing param values is not allowed").contains("lr");
        assertThat(getRun(run).at("/data/params/0/value").asText()).isEqualTo("0.1");
    }

    @Test
    void longParamAndTagValuesAreTruncatedAsMlflowDoes() {
        String run = newRun(newExperiment("trunc"));
        http.api("runs/log-parameter", Http.obj().put("run_id", run).put("key", "long").put("value", "p".repeat(7000)));
        http.api("runs/set-tag", Http.obj().put("run_id", run).put("key", "longtag").put("value", "t".repeat(9000)));
        JsonNode r = getRun(run);
        assertThat(r.at("/data/params/0/value").asText()).hasSize(6000);
        assertThat(tagValue(r, "longtag")).hasSize(8000);
    }

    @Test
    void tagsAreLastWriteWinsAndDeletable() {
        String run = newRun(newExperiment("tags"));
        http.api("runs/set-tag", Http.obj().put("run_id", run).put("key", "k").put("value", "1"));
        http.api("runs/set-tag", Http.obj().put("run_id", run).put("key", "k").put("value", "2"));
        assertThat(tagValue(getRun(run), "k")).isEqualTo("2");
        http.api("runs/delete-tag", Http.obj().put("run_id", run).put("key", "k"));
        assertThat(tagValue(getRun(run), "k")).isNull();
        Response missing = http.post("/api/2.0/mlflow/runs/delete-tag", Http.obj().put("run_id", run).put("key", "k"));
        assertThat(missing.status()).isEqualTo(404);
    }

    @Test
    void latestMetricIsHighestStepThenTimestampThenValue() {
        String run = newRun(newExperiment("latest"));
        logMetric(run, "m", 5.0, 10, 1);
        logMetric(run, "m", 1.0, 5, 2);
        logMetric(run, "m", 0.5, 5, 2);
        logMetric(run, "m", 9.0, 99, 0);
        JsonNode m = getRun(run).at("/data/metrics/0");
        assertThat(m.get("value").asDouble()).isEqualTo(1.0);
        assertThat(m.get("step").asLong()).isEqualTo(2);
        assertThat(m.get("timestamp").asLong()).isEqualTo(5);
        JsonNode history = http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=m").get("metrics");
        assertThat(history).hasSize(4);
    }

    @Test
    void nanAndInfinityMetricValuesAreKept() {
        String run = newRun(newExperiment("nan"));
        http.api("runs/log-metric", Http.obj().put("run_id", run).put("key", "nan").put("value", "NaN").put("timestamp", 1));
        http.api("runs/log-metric", Http.obj().put("run_id", run).put("key", "inf").put("value", "Infinity").put("timestamp", 1));
        http.api("runs/log-metric", Http.obj().put("run_id", run).put("key", "ninf").put("value", "-Infinity").put("timestamp", 1));
        JsonNode history = http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=nan").get("metrics");
        assertThat(history.at("/0/value").asText()).isEqualTo("NaN");
        JsonNode inf = http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=inf").get("metrics");
        assertThat(inf.at("/0/value").asDouble()).isGreaterThanOrEqualTo(Double.MAX_VALUE);
        JsonNode ninf = http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=ninf").get("metrics");
        assertThat(ninf.at("/0/value").asDouble()).isLessThanOrEqualTo(-Double.MAX_VALUE);
    }

    @Test
    void int64FieldsAcceptNumbersAndStrings() {
        String run = newRun(newExperiment("int64"));
        http.api("runs/log-metric", Http.obj().put("run_id", run).put("key", "m").put("value", 1.5).put("timestamp", "1700000000000").put("step", "3"));
        JsonNode m = getRun(run).at("/data/metrics/0");
        assertThat(m.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(m.get("timestamp").asLong()).isEqualTo(1700000000000L);
        assertThat(m.get("step").asLong()).isEqualTo(3);
    }

    @Test
    void aRejectedBatchWritesNothing() {
        String run = newRun(newExperiment("atomic"));
        http.api("runs/log-parameter", Http.obj().put("run_id", run).put("key", "p").put("value", "old"));
        ObjectNode batch = Http.obj().put("run_id", run);
        batch.putArray("metrics").addObject().put("key", "m").put("value", 1).put("timestamp", 1).put("step", 0);
        ArrayNode params = batch.putArray("params");
        params.addObject().put("key", "fresh").put("value", "x");
        params.addObject().put("key", "p").put("value", "new");
        batch.putArray("tags").addObject().put("key", "t").put("value", "v");
        Response r = http.post("/api/2.0/mlflow/runs/log-batch", batch);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        JsonNode after = getRun(run);
        assertThat(after.at("/data").has("metrics")).isFalse();
        assertThat(after.at("/data/params")).hasSize(1);
        assertThat(tagValue(after, "t")).isNull();
    }

    @Test
    void batchLimitsAreMlflows() {
        String run = newRun(newExperiment("limits"));
        ObjectNode batch = Http.obj().put("run_id", run);
        ArrayNode metrics = batch.putArray("metrics");
        for (int i = 0; i < 1001; i++) {
            metrics.addObject().put("key", "m").put("value", i).put("timestamp", i).put("step", i);
        }
        Response tooMany = http.post("/api/2.0/mlflow/runs/log-batch", batch);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("message").asText()).contains("1000");
        assertThat(getRun(run).at("/data").has("metrics")).isFalse();

        ObjectNode params = Http.obj().put("run_id", run);
        ArrayNode p = params.putArray("params");
        for (int i = 0; i < 101; i++) {
            p.addObject().put("key", "p" + i).put("value", "v");
        }
        assertThat(http.post("/api/2.0/mlflow/runs/log-batch", params).status()).isEqualTo(400);
    }

    @Test
    void aFullBatchOf1000MetricsLands() {
        String run = newRun(newExperiment("full"));
        ObjectNode batch = Http.obj().put("run_id", run);
        ArrayNode metrics = batch.putArray("metrics");
        for (int i = 0; i < 1000; i++) {
            metrics.addObject().put("key", "loss").put("value", 1.0 / (i + 1)).put("timestamp", 1000 + i).put("step", i);
        }
        http.api("runs/log-batch", batch);
        JsonNode history = http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=loss").get("metrics");
        assertThat(history).hasSize(1000);
        assertThat(getRun(run).at("/data/metrics/0/step").asLong()).isEqualTo(999);
    }

    @Test
    void invalidKeysAreRefused() {
        String run = newRun(newExperiment("keys"));
        for (String bad : List.of("bad*key", "../etc", "/abs", "a//b", "k".repeat(251))) {
            Response r = http.post("/api/2.0/mlflow/runs/log-metric", Http.obj().put("run_id", run).put("key", bad).put("value", 1).put("timestamp", 1));
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.errorCode()).as(bad).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        assertThat(getRun(run).at("/data").has("metrics")).isFalse();
    }

    @Test
    void writesToADeletedRunAreRefusedAndRestoreBringsItBack() {
        String run = newRun(newExperiment("deleted"));
        http.api("runs/delete", Http.obj().put("run_id", run));
        assertThat(getRun(run).at("/info/lifecycle_stage").asText()).isEqualTo("deleted");
        Response r = http.post("/api/2.0/mlflow/runs/log-metric", Http.obj().put("run_id", run).put("key", "m").put("value", 1).put("timestamp", 1));
        assertThat(r.status()).isEqualTo(400);
        http.api("runs/restore", Http.obj().put("run_id", run));
        logMetric(run, "m", 1, 1, 0);
        assertThat(getRun(run).at("/data/metrics")).hasSize(1);
    }

    @Test
    void malformedRequestsGetJsonErrorsNotServerErrors() {
        Response malformed = http.post("/api/2.0/mlflow/runs/create", "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        Response array = http.post("/api/2.0/mlflow/runs/create", "[1,2]");
        assertThat(array.status()).isEqualTo(400);
        Response wrongType = http.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"x\", \"key\": \"m\", \"value\": {\"a\": 1}, \"timestamp\": 1}");
        assertThat(wrongType.status()).isEqualTo(400);
        Response badTimestamp = http.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"x\", \"key\": \"m\", \"value\": 1, \"timestamp\": \"soon\"}");
        assertThat(badTimestamp.status()).isEqualTo(400);
        Response missing = http.post("/api/2.0/mlflow/runs/log-metric", "{\"key\": \"m\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("message").asText()).contains("run_id");
        Response contentType = http.post("/api/2.0/mlflow/experiments/create", "{\"name\": \"x\"}", "text/plain");
        assertThat(contentType.status()).isEqualTo(400);
        assertThat(contentType.json().get("message").asText()).contains("application/json");
        Response unknown = http.get("/api/2.0/mlflow/no/such/endpoint");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        Response badStatus = http.post("/api/2.0/mlflow/runs/update", Http.obj().put("run_id", newRun("0")).put("status", "DONE"));
        assertThat(badStatus.status()).isEqualTo(400);
    }

    @Test
    void oversizedBodiesAreRefusedWithAClearError() {
        String big = "{\"name\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}";
        Response r = http.post("/api/2.0/mlflow/experiments/create", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(r.json().get("message").asText()).contains("--max-request-bytes");
        // A client that asks first (Expect: 100-continue) is told before it sends anything.
        String asked = rawHttp("POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 31457280\r\nExpect: 100-continue\r\n\r\n");
        assertThat(asked).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("RESOURCE_EXHAUSTED");
        assertThat(http.apiGet("experiments/search?max_results=1000").get("experiments").toString()).doesNotContain("xxxxxxxx");
    }

    @Test
    void datasetInputsAreLoggedOnceAndReturnedWithTheRun() {
        String run = newRun(newExperiment("inputs"));
        ObjectNode body = Http.obj().put("run_id", run);
        ObjectNode input = body.putArray("datasets").addObject();
        input.putArray("tags").addObject().put("key", "mlflow.data.context").put("value", "training");
        input.putObject("dataset").put("name", "weather").put("digest", "abc123").put("source_type", "local").put("source", "{\"uri\": \"weather.csv\"}").put("schema", "{}");
        http.api("runs/log-inputs", body);
        http.api("runs/log-inputs", body);
        JsonNode inputs = getRun(run).at("/inputs/dataset_inputs");
        assertThat(inputs).hasSize(1);
        assertThat(inputs.at("/0/dataset/name").asText()).isEqualTo("weather");
        assertThat(inputs.at("/0/tags/0/value").asText()).isEqualTo("training");
    }

    @Test
    void metricHistoryPagesWithMaxResultsAndPageToken() {
        String run = newRun(newExperiment("pages"));
        for (int i = 0; i < 25; i++) {
            logMetric(run, "acc", i, 100 + i, i);
        }
        List<Long> steps = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=acc&max_results=10" + (token == null ? "" : "&page_token=" + token));
            page.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
            token = page.has("next_page_token") ? page.get("next_page_token").asText() : null;
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(steps).hasSize(25).doesNotHaveDuplicates();
    }

    @Test
    void bulkIntervalSamplesStepsAcrossRuns() {
        String exp = newExperiment("bulk");
        String a = newRun(exp);
        String b = newRun(exp);
        for (int i = 0; i < 50; i++) {
            logMetric(a, "loss", i, i, i);
            logMetric(b, "loss", i, i, i);
        }
        JsonNode r = http.apiGet("metrics/get-history-bulk-interval?run_ids=" + a + "&run_ids=" + b + "&metric_key=loss&max_results=10");
        JsonNode metrics = r.get("metrics");
        assertThat(metrics.size()).isEqualTo(22); // 10 sampled steps + the last, for each of the two runs
        assertThat(metrics.at("/0/run_id").asText()).isIn(a, b);
        Response noRuns = http.get("/api/2.0/mlflow/metrics/get-history-bulk-interval?metric_key=loss");
        assertThat(noRuns.status()).isEqualTo(400);
    }

    @Test
    void bothApiPrefixesServeTheSameEndpoints() {
        Response ajax = http.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0");
        assertThat(ajax.status()).isEqualTo(200);
        assertThat(ajax.json().at("/experiment/name").asText()).isEqualTo("Default");
    }

    @Test
    void healthVersionAndMetricsAreServed() {
        assertThat(http.get("/health").body()).isEqualTo("OK");
        assertThat(http.get("/version").body()).isEqualTo("2.19.0");
        http.get("/api/2.0/mlflow/experiments/get?experiment_id=0");
        Response metrics = http.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("mlflow_tracking_http_requests_total{endpoint=\"/api/2.0/mlflow/experiments/get\",method=\"GET\",status=\"200\"}");
        assertThat(metrics.body()).contains("mlflow_tracking_http_request_duration_seconds_bucket");
        assertThat(metrics.body()).contains("mlflow_tracking_db_pool_connections_active");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void concurrentWritersOfTheSameParamValueAllSucceed() throws Exception {
        String run = newRun(newExperiment("same-param"));
        int clients = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int step = i;
            statuses.add(pool.submit(() -> {
                ObjectNode batch = Http.obj().put("run_id", run);
                batch.putArray("metrics").addObject().put("key", "loss").put("value", step).put("timestamp", 1).put("step", step);
                batch.putArray("params").addObject().put("key", "lr").put("value", "0.01");
                batch.putArray("tags").addObject().put("key", "worker" + step).put("value", "x");
                start.await();
                return new Http(fixture.url()).post("/api/2.0/mlflow/runs/log-batch", batch).status();
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<Integer> status : statuses) {
            assertThat(status.get()).isEqualTo(200);
        }
        pool.shutdown();
        JsonNode stored = getRun(run);
        assertThat(stored.at("/data/params")).hasSize(1);
        assertThat(http.apiGet("metrics/get-history?run_id=" + run + "&metric_key=loss").get("metrics")).hasSize(clients);
    }

    @Test
    void overlyComplexSearchesAreRefusedNotRun() {
        StringBuilder filter = new StringBuilder("metrics.m0 > 0");
        for (int i = 1; i < 101; i++) {
            filter.append(" AND metrics.m").append(i).append(" > 0");
        }
        ObjectNode body = Http.obj().put("filter", filter.toString());
        body.putArray("experiment_ids").add("0");
        Response r = http.post("/api/2.0/mlflow/runs/search", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("at most 100");
        ObjectNode order = Http.obj();
        order.putArray("experiment_ids").add("0");
        ArrayNode keys = order.putArray("order_by");
        for (int i = 0; i < 21; i++) {
            keys.add("metrics.m" + i);
        }
        assertThat(http.post("/api/2.0/mlflow/runs/search", order).status()).isEqualTo(400);
    }

    @Test
    void wrongMethodsAndHeadAreRefusedWithJson() {
        Response post = http.post("/api/2.0/mlflow/experiments/get", "{}");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.contentType()).startsWith("application/json");
        Response get = http.get("/api/2.0/mlflow/runs/search");
        assertThat(get.status()).isEqualTo(405);
        assertThat(rawHttp("HEAD /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1")).startsWith("HTTP/1.1 405");
        assertThat(rawHttp("HEAD /health HTTP/1.1")).startsWith("HTTP/1.1 200");
    }

    @Test
    void requestsJettyRefusesBeforeRoutingStillGetJsonErrors() {
        String badUri = rawHttp("GET /%zz HTTP/1.1");
        assertThat(badUri).startsWith("HTTP/1.1 400").contains("application/json").contains("\"error_code\"");
        String longUri = rawHttp("GET /api/" + "a".repeat(20_000) + " HTTP/1.1");
        assertThat(longUri).startsWith("HTTP/1.1 414").contains("\"error_code\"");
        String brokenChunk = rawHttp("POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}");
        assertThat(brokenChunk).startsWith("HTTP/1.1 400").contains("\"error_code\"");
    }

    @Test
    void stringFieldsRefuseOtherTypesAndNul() {
        Response bool = http.post("/api/2.0/mlflow/experiments/create", "{\"name\": true}");
        assertThat(bool.status()).isEqualTo(400);
        assertThat(bool.json().get("message").asText()).contains("'name'");
        String run = newRun(newExperiment("types"));
        Response numericKey = http.post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\": \"" + run + "\", \"key\": 7, \"value\": 1, \"timestamp\": 1}");
        assertThat(numericKey.status()).isEqualTo(400);
        Response nul = http.post("/api/2.0/mlflow/runs/log-parameter", Http.obj().put("run_id", run).put("key", "p").put("value", "a\u0000b"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(getRun(run).at("/data").has("params")).isFalse();
        // experiment ids may be numbers, as MLflow stringifies them
        assertThat(http.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": 0}").status()).isEqualTo(200);
    }

    @Test
    void columnWidthsAreEnforcedAlikeOnEveryStore() {
        Response longName = http.post("/api/2.0/mlflow/experiments/create", Http.obj().put("name", "n".repeat(257)));
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        Response longUser = http.post("/api/2.0/mlflow/runs/create", Http.obj().put("experiment_id", "0").put("user_id", "u".repeat(257)));
        assertThat(longUser.status()).isEqualTo(400);
        assertThat(http.post("/api/2.0/mlflow/experiments/create", Http.obj().put("name", "w".repeat(256))).status()).isEqualTo(200);
    }

    /** One request over a plain socket, for what java.net.http refuses to send; returns the raw response head and body. */
    String rawHttp(String requestLineAndMore) {
        java.net.URI base = java.net.URI.create(fixture.url());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = requestLineAndMore + (requestLineAndMore.contains("\r\n") ? "" : "\r\n")
                    + "Host: " + base.getHost() + "\r\nConnection: close\r\n\r\n";
            if (requestLineAndMore.contains("\r\n")) {
                // the caller wrote its own headers and body: put Host and Connection right after the request line
                int end = requestLineAndMore.indexOf("\r\n");
                request = requestLineAndMore.substring(0, end) + "\r\nHost: " + base.getHost() + "\r\nConnection: close" + requestLineAndMore.substring(end);
            }
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void logMetric(String run, String key, double value, long timestamp, long step) {
        http.api("runs/log-metric", Http.obj().put("run_id", run).put("key", key).put("value", value).put("timestamp", timestamp).put("step", step));
    }

    static String tagValue(JsonNode run, String key) {
        for (JsonNode t : run.at("/data/tags")) {
            if (t.get("key").asText().equals(key)) {
                return t.get("value").asText();
            }
        }
        return null;
    }
}
