package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import io.mlopscore.tracking.testing.Http;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tracking-side artifact reads over real HTTP: a run's listing ({@code artifacts/list}), a run's
 * file ({@code /get-artifact}) and a model version's file ({@code /model-versions/get-artifact}),
 * for proxied roots (mapped onto the destination), local roots, and http roots (mapped, never
 * fetched). Subclasses run it on each backend store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RunArtifactsContract {
    ArtifactServer server;
    ArtifactClient client;
    String experimentId;
    String runId;
    String rootUri;

    abstract String backendKind();

    @BeforeAll
    void start() {
        server = ArtifactServer.options().backend(backendKind()).start();
        client = server.client;
        experimentId = newExperiment(server, null);
        JsonNode run = server.http.api("runs/create", Http.obj().put("experiment_id", experimentId)).at("/run/info");
        runId = run.get("run_id").asText();
        rootUri = run.get("artifact_uri").asText();
        assertThat(rootUri).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");
        String proxied = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/";
        assertThat(client.put(proxied + "a.txt", "a").status()).isEqualTo(200);
        assertThat(client.put(proxied + "dir/b.txt", "bb").status()).isEqualTo(200);
        assertThat(client.put(proxied + "model/MLmodel", "flavors: {}").status()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String newExperiment(ArtifactServer s, String artifactLocation) {
        var body = Http.obj().put("name", "artifacts-" + System.nanoTime());
        if (artifactLocation != null) {
            body.put("artifact_location", artifactLocation);
        }
        return s.http.api("experiments/create", body).get("experiment_id").asText();
    }

    @Test
    void aProxiedRunListsRunRelativePathsWithItsRootUri() {
        Response root = client.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId);
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.text()).isEqualTo("{\"root_uri\":\"" + rootUri + "\",\"files\":["
                + "{\"path\":\"a.txt\",\"is_dir\":false,\"file_size\":1},{\"path\":\"dir\",\"is_dir\":true},{\"path\":\"model\",\"is_dir\":true}]}");
        Response dir = client.get("/ajax-api/2.0/mlflow/artifacts/list?run_uuid=" + runId + "&path=dir");
        assertThat(dir.text()).isEqualTo("{\"root_uri\":\"" + rootUri + "\",\"files\":[{\"path\":\"dir/b.txt\",\"is_dir\":false,\"file_size\":2}]}");
        assertThat(client.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=nothing").text())
                .isEqualTo("{\"root_uri\":\"" + rootUri + "\"}");
    }

    @Test
    void listingNeedsAKnownRun() {
        Response missing = client.get("/api/2.0/mlflow/artifacts/list");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.message()).startsWith("Missing value for required parameter 'run_id'.");
        Response unknown = client.get("/api/2.0/mlflow/artifacts/list?run_id=0123456789abcdef0123456789abcdef");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("Run with id=0123456789abcdef0123456789abcdef not found");
    }

    @Test
    void getArtifactServesARunsFileAsAnAttachment() {
        for (String id : new String[] {"run_id", "run_uuid"}) {
            Response r = client.get("/get-artifact?" + id + "=" + runId + "&path=dir/b.txt");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("bb");
            assertThat(r.header("content-type")).startsWith("text/plain");
            assertThat(r.header("content-disposition")).isEqualTo("attachment; filename=b.txt");
            assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(r.header("content-length")).isEqualTo("2");
        }
        assertThat(client.get("/get-artifact?path=model%2FMLmodel&run_uuid=" + runId).text()).isEqualTo("flavors: {}");
    }

    @Test
    void getArtifactAnswersMistakesWithJsonErrors() {
        assertThat(client.get("/get-artifact?run_id=" + runId).status()).as("no path").isEqualTo(400);
        assertThat(client.get("/get-artifact?path=a.txt").status()).as("no run").isEqualTo(400);
        assertThat(client.get("/get-artifact?run_id=" + runId + "&path=dir").status()).as("a folder").isEqualTo(404);
        assertThat(client.get("/get-artifact?run_id=" + runId + "&path=none.txt").status()).isEqualTo(404);
        Response unknown = client.get("/get-artifact?run_id=ffffffffffffffffffffffffffffffff&path=a.txt");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void aModelVersionsFilesAreServedFromItsSource() {
        String name = "model-" + System.nanoTime();
        server.http.api("registered-models/create", Http.obj().put("name", name));
        server.http.api("model-versions/create", Http.obj().put("name", name).put("source", rootUri + "/model").put("run_id", runId));
        Response r = client.get("/model-versions/get-artifact?name=" + name + "&version=1&path=MLmodel");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("flavors: {}");
        assertThat(r.header("content-type")).startsWith("text/plain");
        assertThat(r.header("content-disposition")).isEqualTo("attachment; filename=MLmodel");
        assertThat(r.header("x-content-type-options")).isEqualTo("nosniff");

        Response unknown = client.get("/model-versions/get-artifact?name=" + name + "&version=7&path=MLmodel");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.message()).isEqualTo("Model Version (name=" + name + ", version=7) not found");
        assertThat(client.get("/model-versions/get-artifact?name=" + name + "&version=1&path=nothing").status()).isEqualTo(404);
        assertThat(client.get("/model-versions/get-artifact?name=" + name + "&version=1").status()).isEqualTo(400);
    }

    @Test
    void anHttpRootIsMappedOntoTheDestinationNeverFetched() {
        // Port 9 on loopback (discard) is closed here: were the root fetched, the request would fail.
        String location = "http://127.0.0.1:9/api/2.0/mlflow-artifacts/artifacts/via-http";
        String exp = newExperiment(server, location);
        String run = server.http.api("runs/create", Http.obj().put("experiment_id", exp)).at("/run/info/run_id").asText();
        assertThat(client.put("/api/2.0/mlflow-artifacts/artifacts/via-http/" + run + "/artifacts/h.txt", "mapped").status()).isEqualTo(200);
        assertThat(client.get("/get-artifact?run_id=" + run + "&path=h.txt").text()).isEqualTo("mapped");
        assertThat(client.get("/api/2.0/mlflow/artifacts/list?run_id=" + run).json().at("/files/0/path").asText()).isEqualTo("h.txt");
    }

    @Test
    void localRunRootsAreReadInPlaceWhenArtifactsAreNotServed() throws IOException {
        try (ArtifactServer local = ArtifactServer.options().backend(backendKind()).noServeArtifacts().localDefaultRoot().start()) {
            String exp = newExperiment(local, null);
            JsonNode run = local.http.api("runs/create", Http.obj().put("experiment_id", exp)).at("/run/info");
            String uri = run.get("artifact_uri").asText();
            Path dir = local.base.resolve("mlruns").resolve(exp).resolve(run.get("run_id").asText()).resolve("artifacts");
            assertThat(uri).isEqualTo(local.base.resolve("mlruns") + "/" + exp + "/" + run.get("run_id").asText() + "/artifacts");
            // A client with a local root writes straight to the folder, as MLflow's local repository does.
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub/c.csv"), "x,y");
            Response list = local.client.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.get("run_id").asText() + "&path=sub");
            assertThat(list.text()).isEqualTo("{\"root_uri\":\"" + uri + "\",\"files\":[{\"path\":\"sub/c.csv\",\"is_dir\":false,\"file_size\":3}]}");
            Response file = local.client.get("/get-artifact?run_id=" + run.get("run_id").asText() + "&path=sub/c.csv");
            assertThat(file.text()).isEqualTo("x,y");
            assertThat(file.header("content-type")).startsWith("text/plain");
        }
    }
}
