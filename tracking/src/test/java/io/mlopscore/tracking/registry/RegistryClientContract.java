package io.mlopscore.tracking.registry;

import static io.mlopscore.tracking.registry.RegistryHttp.API;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.Page;

/**
 * The registry as the official Java client (org.mlflow:mlflow-client 2.17.2) reads it: every
 * registry call the client has. Subclasses pick the backend store.
 */
abstract class RegistryClientContract extends RegistryTestBase {
    MlflowClient client;
    String name;
    String runId;

    /** A model with 5 versions: 1 None, 2 and 3 Production, 4 Staging, 5 Archived; alias champion → 3. */
    @BeforeAll
    void seedWithRawHttp() {
        client = new MlflowClient(server.url());
        name = unique("client");
        runId = proxiedRun();
        ok(http.post(API + "registered-models/create", obj().put("name", name).put("description", "for the java client")));
        for (int i = 1; i <= 5; i++) {
            ok(http.post(API + "model-versions/create", obj().put("name", name).put("source", "s3://bucket/" + name + "/" + i).put("run_id", runId)));
        }
        transition(name, "2", "Production", false);
        transition(name, "3", "Production", false);
        transition(name, "4", "Staging", false);
        transition(name, "5", "Archived", false);
        setAlias(name, "champion", "3");
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "3").put("key", "k").put("value", "v")));
    }

    @AfterAll
    void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void getLatestVersionsGivesOnePerStage() {
        List<String> all = new ArrayList<>();
        for (ModelVersion v : client.getLatestVersions(name)) {
            all.add(v.getCurrentStage() + "=" + v.getVersion());
        }
        assertThat(all).containsExactly("None=1", "Production=3", "Staging=4", "Archived=5");
        List<ModelVersion> prod = client.getLatestVersions(name, List.of("production"));
        assertThat(prod).hasSize(1);
        assertThat(prod.get(0).getVersion()).isEqualTo("3");
        assertThat(prod.get(0).getAliasesList()).containsExactly("champion");
        assertThat(client.getLatestVersions(name, List.of("Staging", "None"))).extracting(ModelVersion::getVersion).containsExactly("1", "4");
    }

    @Test
    void getModelVersionReadsEveryField() {
        ModelVersion v = client.getModelVersion(name, "3");
        assertThat(v.getName()).isEqualTo(name);
        assertThat(v.getVersion()).isEqualTo("3");
        assertThat(v.getCurrentStage()).isEqualTo("Production");
        assertThat(v.getSource()).isEqualTo("s3://bucket/" + name + "/3");
        assertThat(v.getRunId()).isEqualTo(runId);
        assertThat(v.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(v.getCreationTimestamp()).isPositive();
        assertThat(v.getLastUpdatedTimestamp()).isGreaterThanOrEqualTo(v.getCreationTimestamp());
        assertThat(v.getAliasesList()).containsExactly("champion");
        assertThat(v.getTags(0).getKey()).isEqualTo("k");
        assertThatThrownBy(() -> client.getModelVersion(name, "42")).isInstanceOf(MlflowHttpException.class)
                .satisfies(e -> assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(404));
    }

    @Test
    void getRegisteredModelReadsLatestVersionsAndAliases() {
        RegisteredModel m = client.getRegisteredModel(name);
        assertThat(m.getName()).isEqualTo(name);
        assertThat(m.getDescription()).isEqualTo("for the java client");
        assertThat(m.getCreationTimestamp()).isPositive();
        assertThat(m.getLatestVersionsList()).extracting(ModelVersion::getVersion).containsExactly("1", "3", "4", "5");
        assertThat(m.getAliases(0).getAlias()).isEqualTo("champion");
        assertThat(m.getAliases(0).getVersion()).isEqualTo("3");
        assertThatThrownBy(() -> client.getRegisteredModel(unique("none"))).isInstanceOf(MlflowHttpException.class);
    }

    @Test
    void getModelVersionDownloadUriIsTheSource() {
        assertThat(client.getModelVersionDownloadUri(name, "4")).isEqualTo("s3://bucket/" + name + "/4");
    }

    @Test
    void searchModelVersionsPagesThroughEveryVersion() {
        String filter = "name = '" + name + "'";
        ModelVersionsPage first = client.searchModelVersions(filter, 2, List.of("version_number ASC"));
        assertThat(first.getItems()).extracting(ModelVersion::getVersion).containsExactly("1", "2");
        assertThat(first.hasNextPage()).isTrue();
        List<String> all = new ArrayList<>();
        Page<ModelVersion> page = first;
        int pages = 0;
        while (true) {
            page.getItems().forEach(v -> all.add(v.getVersion()));
            pages++;
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(all).containsExactly("1", "2", "3", "4", "5");
        assertThat(client.searchModelVersions(filter).getItems()).hasSize(5);
        assertThat(client.searchModelVersions(filter).hasNextPage()).isFalse();
        assertThat(client.searchModelVersions("run_id = '" + runId + "'", 10, List.of("version_number DESC")).getItems())
                .extracting(ModelVersion::getVersion).containsExactly("5", "4", "3", "2", "1");
        assertThat(client.searchModelVersions().getItems()).hasSizeGreaterThanOrEqualTo(5);
    }
}
