package io.mlopscore.tracking.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.mlopscore.tracking.testing.ServerFixture;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mlflow.api.proto.Service.CreateExperiment;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ActiveRun;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowContext;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.RunsPage;

/**
 * The server as the official Java client (org.mlflow:mlflow-client 2.17.2) sees it: every call
 * the client makes, with the values it gets back. Subclasses run it on each backend store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MlflowClientContract {
    private static final long T0 = 1_700_000_000_000L;

    ServerFixture fixture;
    MlflowClient client;
    /** The experiment holding the four runs the search tests look for (alpha-run to delta-run). */
    String searchExperimentId;

    abstract String backendKind();

    @BeforeAll
    void startServer() {
        fixture = ServerFixture.start(backendKind());
        client = new MlflowClient(fixture.url());
        searchExperimentId = client.createExperiment(unique("search-runs"));
        seedRun("alpha-run", T0 + 1, 0.70, "cnn", "prod-eu", RunStatus.FINISHED);
        seedRun("bravo-run", T0 + 2, 0.85, "rnn", "prod-us", RunStatus.RUNNING);
        seedRun("charlie-run", T0 + 3, 0.95, "cnn", "dev", RunStatus.FINISHED);
        seedRun("delta-run", T0 + 4, 0.60, "tree", "staging", RunStatus.FAILED);
    }

    @AfterAll
    void stopServer() {
        if (client != null) {
            client.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void experimentsAreCreatedAndFoundByIdAndByName() {
        assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
        String name = unique("create");
        String id = client.createExperiment(name);
        Experiment e = client.getExperiment(id);
        assertThat(e.getExperimentId()).isEqualTo(id);
        assertThat(e.getName()).isEqualTo(name);
        assertThat(e.getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(e.getLifecycleStage()).isEqualTo("active");
        assertThat(e.getCreationTime()).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis());
        assertThat(e.getLastUpdateTime()).isEqualTo(e.getCreationTime());
        assertThat(client.getExperimentByName(name)).map(Experiment::getExperimentId).contains(id);
        assertThat(client.getExperimentByName(unique("no-such-experiment"))).isEmpty();
        assertThatThrownBy(() -> client.getExperiment("987654321"))
                .isInstanceOfSatisfying(MlflowHttpException.class, ex -> assertThat(ex.getStatusCode()).isEqualTo(404));

        String tagged = client.createExperiment(CreateExperiment.newBuilder().setName(unique("tagged")).setArtifactLocation("mlflow-artifacts:/models")
                .addTags(ExperimentTag.newBuilder().setKey("team").setValue("vision")).build());
        client.setExperimentTag(tagged, "owner", "ann");
        Experiment t = client.getExperiment(tagged);
        assertThat(t.getArtifactLocation()).isEqualTo("mlflow-artifacts:/models");
        assertThat(t.getTagsList()).extracting(ExperimentTag::getKey, ExperimentTag::getValue)
                .containsExactlyInAnyOrder(tuple("team", "vision"), tuple("owner", "ann"));
    }

    @Test
    void experimentsAreRenamedDeletedAndRestored() {
        String name = unique("lifecycle");
        String id = client.createExperiment(name);
        String run = client.createRun(id).getRunId();
        String newName = unique("renamed");
        client.renameExperiment(id, newName);
        assertThat(client.getExperiment(id).getName()).isEqualTo(newName);
        assertThat(client.getExperimentByName(name)).isEmpty();
        assertThat(client.getExperimentByName(newName)).map(Experiment::getExperimentId).contains(id);

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.getRun(run).getInfo().getLifecycleStage()).isEqualTo("deleted");
        String filter = "name = '" + newName + "'";
        assertThat(client.searchExperiments(filter).getItems()).isEmpty();
        assertThat(client.searchExperiments(filter, ViewType.DELETED_ONLY, 10, List.of()).getItems()).extracting(Experiment::getExperimentId).containsExactly(id);

        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
        assertThat(client.getRun(run).getInfo().getLifecycleStage()).isEqualTo("active");
        assertThat(client.searchExperiments(filter).getItems()).extracting(Experiment::getExperimentId).containsExactly(id);
    }

    @Test
    void searchExperimentsFiltersOrdersAndPages() {
        String prefix = unique("page");
        Map<String, String> ids = new HashMap<>();
        for (String suffix : List.of("alpha", "bravo", "charlie", "delta", "echo")) {
            ids.put(suffix, client.createExperiment(CreateExperiment.newBuilder().setName(prefix + "-" + suffix)
                    .addTags(ExperimentTag.newBuilder().setKey("team").setValue(suffix.length() == 5 ? "nlp" : "vision")).build()));
        }
        String mine = "name LIKE '" + prefix + "-%'";

        ExperimentsPage first = client.searchExperiments(mine, ViewType.ACTIVE_ONLY, 2, List.of("name DESC"));
        assertThat(experimentNames(first.getItems(), prefix)).containsExactly("echo", "delta");
        assertThat(first.hasNextPage()).isTrue();
        Page<Experiment> second = first.getNextPage();
        assertThat(experimentNames(second.getItems(), prefix)).containsExactly("charlie", "bravo");
        Page<Experiment> third = client.searchExperiments(mine, ViewType.ACTIVE_ONLY, 2, List.of("name DESC"),
                ((ExperimentsPage) second).getNextPageToken().orElseThrow());
        assertThat(experimentNames(third.getItems(), prefix)).containsExactly("alpha");
        assertThat(third.hasNextPage()).isFalse();

        assertThat(experimentNames(client.searchExperiments(mine + " AND tags.team = 'nlp'", ViewType.ACTIVE_ONLY, 10, List.of("name ASC")).getItems(), prefix))
                .containsExactly("alpha", "bravo", "delta");
        assertThat(client.searchExperiments(mine, ViewType.ACTIVE_ONLY, 10, List.of("experiment_id DESC")).getItems())
                .extracting(Experiment::getExperimentId)
                .containsExactly(ids.get("echo"), ids.get("delta"), ids.get("charlie"), ids.get("bravo"), ids.get("alpha"));

        client.deleteExperiment(ids.get("bravo"));
        assertThat(experimentNames(client.searchExperiments(mine, ViewType.ACTIVE_ONLY, 10, List.of("name ASC")).getItems(), prefix))
                .containsExactly("alpha", "charlie", "delta", "echo");
        assertThat(experimentNames(client.searchExperiments(mine, ViewType.DELETED_ONLY, 10, List.of("name ASC")).getItems(), prefix))
                .containsExactly("bravo");
        assertThat(experimentNames(client.searchExperiments(mine, ViewType.ALL, 10, List.of("name ASC")).getItems(), prefix))
                .containsExactly("alpha", "bravo", "charlie", "delta", "echo");
    }

    @Test
    void aRunCarriesWhatWasLoggedToIt() {
        String exp = client.createExperiment(unique("run"));
        RunInfo created = client.createRun(CreateRun.newBuilder().setExperimentId(exp).setRunName("baseline").setUserId("ann").setStartTime(T0)
                .addTags(RunTag.newBuilder().setKey("mlflow.source.type").setValue("LOCAL")).build());
        String id = created.getRunId();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(created.getRunUuid()).isEqualTo(id);
        assertThat(created.getRunName()).isEqualTo("baseline");
        assertThat(created.getExperimentId()).isEqualTo(exp);
        assertThat(created.getUserId()).isEqualTo("ann");
        assertThat(created.getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(created.getStartTime()).isEqualTo(T0);
        assertThat(created.hasEndTime()).isFalse();
        assertThat(created.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + exp + "/" + id + "/artifacts");
        assertThat(created.getLifecycleStage()).isEqualTo("active");

        client.logParam(id, "lr", "0.01");
        client.logMetric(id, "loss", 0.9, T0 + 1000, 0);
        client.logMetric(id, "loss", 0.7, T0 + 3000, 1);
        client.logMetric(id, "loss", 0.5, T0 + 2000, 1);
        client.setTag(id, "stage", "dev");
        client.setTag(id, "scratch", "x");
        client.deleteTag(id, "scratch");

        Run run = client.getRun(id);
        assertThat(run.getInfo().getRunName()).isEqualTo("baseline");
        assertThat(run.getData().getParamsList()).extracting(Param::getKey, Param::getValue).containsExactly(tuple("lr", "0.01"));
        assertThat(tags(run)).containsOnly(Map.entry("mlflow.runName", "baseline"), Map.entry("mlflow.source.type", "LOCAL"), Map.entry("stage", "dev"));
        Metric latest = run.getData().getMetrics(0);
        assertThat(run.getData().getMetricsCount()).isEqualTo(1);
        assertThat(List.of(latest.getKey(), latest.getValue(), latest.getTimestamp(), latest.getStep())).containsExactly("loss", 0.7, T0 + 3000, 1L);
        assertThat(client.getMetricHistory(id, "loss")).extracting(Metric::getValue, Metric::getTimestamp, Metric::getStep).containsExactly(
                tuple(0.9, T0 + 1000, 0L), tuple(0.5, T0 + 2000, 1L),
                tuple(0.7, T0 + 3000, 1L));

        client.setTerminated(id, RunStatus.FAILED, T0 + 9000);
        RunInfo ended = client.getRun(id).getInfo();
        assertThat(ended.getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(ended.getEndTime()).isEqualTo(T0 + 9000);

        client.deleteRun(id);
        assertThat(client.getRun(id).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThatThrownBy(() -> client.logParam(id, "after", "delete"))
                .isInstanceOfSatisfying(MlflowHttpException.class, ex -> assertThat(ex.getStatusCode()).isEqualTo(400));
        client.restoreRun(id);
        assertThat(client.getRun(id).getInfo().getLifecycleStage()).isEqualTo("active");
        assertThat(client.getRun(id).getData().getParamsList()).extracting(Param::getKey).containsExactly("lr");
    }

    @Test
    void aRunWithoutAnExperimentGoesToTheDefaultOneUnderTheJvmUser() {
        RunInfo info = client.createRun();
        assertThat(info.getExperimentId()).isEqualTo("0");
        assertThat(info.getUserId()).isEqualTo(System.getProperty("user.name"));
        assertThat(info.getRunName()).matches("[a-z]+-[a-z]+-\\d{1,3}");
        assertThat(tags(client.getRun(info.getRunId()))).containsEntry("mlflow.runName", info.getRunName());
    }

    @Test
    void logBatchWritesMetricsParamsAndTagsTogether() {
        String id = client.createRun(client.createExperiment(unique("batch"))).getRunId();
        List<Metric> metrics = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            metrics.add(metric("acc", 0.5 + step / 10.0, T0 + step, step));
        }
        metrics.add(metric("diverged", Double.NaN, T0, 0));
        metrics.add(metric("ceiling", Double.POSITIVE_INFINITY, T0, 0));
        client.logBatch(id, metrics, List.of(Param.newBuilder().setKey("epochs").setValue("5").build(), Param.newBuilder().setKey("opt").setValue("sgd").build()),
                List.of(RunTag.newBuilder().setKey("mlflow.note.content").setValue("first try").build()));

        Run run = client.getRun(id);
        Map<String, Metric> latest = run.getData().getMetricsList().stream().collect(Collectors.toMap(Metric::getKey, Function.identity()));
        assertThat(latest).containsOnlyKeys("acc", "diverged", "ceiling");
        assertThat(latest.get("acc").getValue()).isEqualTo(0.9);
        assertThat(latest.get("acc").getStep()).isEqualTo(4);
        assertThat(latest.get("diverged").getValue()).isNaN();
        assertThat(latest.get("ceiling").getValue()).isEqualTo(Double.MAX_VALUE);
        assertThat(run.getData().getParamsList()).extracting(Param::getKey, Param::getValue)
                .containsExactlyInAnyOrder(tuple("epochs", "5"), tuple("opt", "sgd"));
        assertThat(tags(run)).containsEntry("mlflow.note.content", "first try");
        assertThat(client.getMetricHistory(id, "acc")).extracting(Metric::getStep).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(client.getMetricHistory(id, "diverged")).singleElement().satisfies(m -> assertThat(m.getValue()).isNaN());
        assertThat(client.getMetricHistory(id, "never-logged")).isEmpty();
    }

    @Test
    void theClientReadsAMetricHistoryLongerThanOneOfItsPages() {
        String id = client.createRun(client.createExperiment(unique("long-history"))).getRunId();
        int points = 26_000; // the client asks for 25,000 per page
        for (int start = 0; start < points; start += 1000) {
            List<Metric> batch = new ArrayList<>(1000);
            for (int step = start; step < start + 1000; step++) {
                batch.add(metric("loss", 1.0 / (step + 1), T0 + step, step));
            }
            client.logBatch(id, batch, null, null);
        }
        List<Metric> history = client.getMetricHistory(id, "loss");
        assertThat(history).hasSize(points);
        assertThat(history.get(0).getStep()).isZero();
        assertThat(history.get(points - 1).getStep()).isEqualTo(points - 1);
        assertThat(history.stream().map(Metric::getStep).distinct().count()).isEqualTo(points);
        // The client's loop cannot follow a next_page_token (it appends to the first response's
        // unmodifiable list), so its request must be answered whole, as MLflow 2.19 answers it.
        assertThat(client.sendGet("metrics/get-history?run_id=" + id + "&metric_key=loss&max_results=25000")).doesNotContain("next_page_token");
    }

    @Test
    void searchRunsFiltersOnMetricsParamsTagsAndAttributes() {
        assertThat(runNames("metrics.acc > 0.8")).containsExactlyInAnyOrder("bravo-run", "charlie-run");
        assertThat(runNames("params.model = 'cnn'")).containsExactlyInAnyOrder("alpha-run", "charlie-run");
        assertThat(runNames("tags.env LIKE 'prod-%'")).containsExactlyInAnyOrder("alpha-run", "bravo-run");
        assertThat(runNames("attributes.status = 'FINISHED'")).containsExactlyInAnyOrder("alpha-run", "charlie-run");
        assertThat(runNames("attributes.run_name = 'delta-run'")).containsExactly("delta-run");
        assertThat(runNames("run_name LIKE '%a-run'")).containsExactlyInAnyOrder("alpha-run", "delta-run");
        assertThat(runNames("metrics.acc >= 0.7 AND params.model != 'rnn' AND attributes.status != 'FAILED'"))
                .containsExactlyInAnyOrder("alpha-run", "charlie-run");
        assertThat(runNames("metrics.acc > 2")).isEmpty();
    }

    @Test
    void searchRunsOrdersByOneOrSeveralKeys() {
        assertThat(orderedRunNames("metrics.acc DESC")).containsExactly("charlie-run", "bravo-run", "alpha-run", "delta-run");
        assertThat(orderedRunNames("metrics.acc ASC")).containsExactly("delta-run", "alpha-run", "bravo-run", "charlie-run");
        assertThat(orderedRunNames("params.model ASC", "metrics.acc DESC")).containsExactly("charlie-run", "alpha-run", "bravo-run", "delta-run");
        assertThat(orderedRunNames("attributes.status ASC", "attributes.run_name DESC")).containsExactly("delta-run", "charlie-run", "alpha-run", "bravo-run");
        assertThat(orderedRunNames("tags.env DESC")).containsExactly("delta-run", "bravo-run", "alpha-run", "charlie-run");
        assertThat(orderedRunNames("attributes.start_time ASC")).containsExactly("alpha-run", "bravo-run", "charlie-run", "delta-run");
        assertThat(orderedRunNames()).as("default: newest first").containsExactly("delta-run", "charlie-run", "bravo-run", "alpha-run");
    }

    @Test
    void searchRunsPagesWithMaxResultsAndPageTokens() {
        RunsPage first = client.searchRuns(List.of(searchExperimentId), null, ViewType.ACTIVE_ONLY, 3, List.of("attributes.start_time ASC"));
        assertThat(first.getPageSize()).isEqualTo(3);
        assertThat(first.hasNextPage()).isTrue();
        List<String> names = new ArrayList<>(runNames(first.getItems()));
        Page<Run> page = first;
        int requests = 1;
        while (page.hasNextPage()) {
            page = page.getNextPage();
            names.addAll(runNames(page.getItems()));
            requests++;
        }
        assertThat(names).containsExactly("alpha-run", "bravo-run", "charlie-run", "delta-run");
        assertThat(requests).isBetween(2, 3);

        RunsPage byToken = client.searchRuns(List.of(searchExperimentId), null, ViewType.ACTIVE_ONLY, 3, List.of("attributes.start_time ASC"),
                first.getNextPageToken().orElseThrow());
        assertThat(runNames(byToken.getItems())).containsExactly("delta-run");
    }

    @Test
    void searchRunsViewTypesSelectActiveDeletedOrAllRuns() {
        String exp = client.createExperiment(unique("views"));
        String kept = client.createRun(CreateRun.newBuilder().setExperimentId(exp).setRunName("kept").build()).getRunId();
        String gone = client.createRun(CreateRun.newBuilder().setExperimentId(exp).setRunName("gone").build()).getRunId();
        client.deleteRun(gone);
        assertThat(ids(client.searchRuns(List.of(exp), null, ViewType.ACTIVE_ONLY, 10).getItems())).containsExactly(kept);
        assertThat(ids(client.searchRuns(List.of(exp), null, ViewType.DELETED_ONLY, 10).getItems())).containsExactly(gone);
        assertThat(ids(client.searchRuns(List.of(exp), null, ViewType.ALL, 10).getItems())).containsExactlyInAnyOrder(kept, gone);
        assertThat(client.searchRuns(List.of(exp), "attributes.run_name = 'gone'")).isEmpty();
    }

    @Test
    void mlflowContextStartsLogsToAndEndsARun() {
        String name = unique("context");
        String exp = client.createExperiment(name);
        MlflowContext context = new MlflowContext(client).setExperimentName(name);
        assertThat(context.getExperimentId()).isEqualTo(exp);
        ActiveRun active = context.startRun("context-run");
        active.logParam("optimizer", "adam");
        active.logMetrics(Map.of("loss", 0.25, "acc", 0.9), 3);
        active.setTags(Map.of("phase", "train"));
        active.endRun();

        Run run = client.getRun(active.getId());
        assertThat(run.getInfo().getExperimentId()).isEqualTo(exp);
        assertThat(run.getInfo().getRunName()).isEqualTo("context-run");
        assertThat(run.getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.getInfo().getEndTime()).isGreaterThanOrEqualTo(run.getInfo().getStartTime());
        assertThat(run.getInfo().getArtifactUri()).isEqualTo(active.getArtifactUri());
        assertThat(tags(run)).contains(Map.entry("mlflow.runName", "context-run"), Map.entry("mlflow.user", System.getProperty("user.name")),
                Map.entry("mlflow.source.type", "LOCAL"), Map.entry("phase", "train"));
        assertThat(run.getData().getMetricsList()).extracting(Metric::getKey, Metric::getValue, Metric::getStep)
                .containsExactlyInAnyOrder(tuple("loss", 0.25, 3L), tuple("acc", 0.9, 3L));
        assertThat(run.getData().getParamsList()).extracting(Param::getValue).containsExactly("adam");

        context.withActiveRun("failing-run", r -> {
            throw new IllegalStateException("training blew up");
        });
        assertThat(client.searchRuns(List.of(exp), "attributes.run_name = 'failing-run'", ViewType.ACTIVE_ONLY, 10).getItems())
                .singleElement().satisfies(r -> assertThat(r.getInfo().getStatus()).isEqualTo(RunStatus.FAILED));
        assertThatThrownBy(() -> new MlflowContext(client).setExperimentName(unique("missing"))).isInstanceOf(IllegalArgumentException.class);
    }

    private void seedRun(String name, long startTime, double acc, String model, String env, RunStatus status) {
        String id = client.createRun(CreateRun.newBuilder().setExperimentId(searchExperimentId).setRunName(name).setStartTime(startTime).build()).getRunId();
        client.logMetric(id, "acc", acc, startTime, 0);
        client.logParam(id, "model", model);
        client.setTag(id, "env", env);
        if (status != RunStatus.RUNNING) {
            client.setTerminated(id, status, startTime + 100);
        }
    }

    private List<String> runNames(String filter) {
        return runNames(client.searchRuns(List.of(searchExperimentId), filter, ViewType.ACTIVE_ONLY, 100).getItems());
    }

    private List<String> orderedRunNames(String... orderBy) {
        return runNames(client.searchRuns(List.of(searchExperimentId), null, ViewType.ACTIVE_ONLY, 100, List.of(orderBy)).getItems());
    }

    private static List<String> runNames(Iterable<Run> runs) {
        List<String> names = new ArrayList<>();
        runs.forEach(r -> names.add(r.getInfo().getRunName()));
        return names;
    }

    private static List<String> ids(List<Run> runs) {
        return runs.stream().map(r -> r.getInfo().getRunId()).toList();
    }

    private static List<String> experimentNames(Iterable<Experiment> experiments, String prefix) {
        List<String> names = new ArrayList<>();
        experiments.forEach(e -> names.add(e.getName().substring(prefix.length() + 1)));
        return names;
    }

    private static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    private static Metric metric(String key, double value, long timestamp, long step) {
        return Metric.newBuilder().setKey(key).setValue(value).setTimestamp(timestamp).setStep(step).build();
    }

    private static String unique(String name) {
        return name + "-" + System.nanoTime();
    }
}
