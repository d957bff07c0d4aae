package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.testing.Backend;
import io.mlopscore.tracking.testing.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code --no-serve-artifacts} and {@code --artifacts-only}: each gate, on every endpoint it covers, as JSON 503s. */
class ArtifactGatesTest {
    static final String[] PREFIXES = {"/api/2.0", "/ajax-api/2.0"};

    @Test
    void withoutServingArtifactsEveryProxyEndpointIsA503() {
        try (ArtifactServer s = ArtifactServer.options().noServeArtifacts().localDefaultRoot().start()) {
            for (String p : PREFIXES) {
                String files = p + "/mlflow-artifacts/artifacts";
                String mpu = p + "/mlflow-artifacts/mpu";
                Response[] answers = {
                        s.client.get(files), s.client.get(files + "/a.txt"), s.client.put(files + "/a.txt", "x"), s.client.delete(files + "/a.txt"),
                        s.client.postJson(mpu + "/create/d", "{\"path\":\"f\",\"num_parts\":1}"),
                        s.client.postJson(mpu + "/complete/d", "{}"), s.client.postJson(mpu + "/abort/d", "{}")};
                for (Response r : answers) {
                    assertThat(r.status()).as(r.toString()).isEqualTo(503);
                    assertThat(r.errorCode()).isEqualTo("TEMPORARILY_UNAVAILABLE");
                    assertThat(r.message()).startsWith("Endpoint: " + p + "/mlflow-artifacts/")
                            .contains("disabled due to the mlflow server running with `--no-serve-artifacts`");
                }
            }
            assertThat(s.client.get("/api/2.0/mlflow-artifacts/artifacts/x").message())
                    .startsWith("Endpoint: /api/2.0/mlflow-artifacts/artifacts/<path:artifact_path> disabled");
            assertThat(s.destination.resolve("a.txt")).doesNotExist();
            // The tracking API still answers.
            assertThat(s.client.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status()).isEqualTo(200);
        }
    }

    @Test
    void aProxiedRunRootWithoutTheProxyIsA503NotA500() throws Exception {
        Path destination = Files.createTempDirectory("mlops-core-no-proxy");
        try (Backend backend = Backend.sqlite()) {
            String run;
            try (TrackingServer serving = TrackingServer.start(config(backend, destination, true))) {
                Http http = new Http(serving.url());
                String exp = http.api("experiments/create", Http.obj().put("name", "proxied")).get("experiment_id").asText();
                run = http.api("runs/create", Http.obj().put("experiment_id", exp)).at("/run/info/run_id").asText();
            }
            // The same database, restarted without the proxy: its runs' mlflow-artifacts:/ roots cannot be read.
            try (TrackingServer restarted = TrackingServer.start(config(backend, destination, false))) {
                Response r = new ArtifactClient(restarted.url()).get("/get-artifact?run_id=" + run + "&path=a.txt");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.message()).contains("--no-serve-artifacts");
            }
        } finally {
            Files.deleteIfExists(destination);
        }
    }

    private static TrackingConfig config(Backend backend, Path destination, boolean serve) {
        return new TrackingConfig("127.0.0.1", 0, backend.uri(), null, destination.toString(), serve, false, TrackingConfig.DEFAULT_MAX_REQUEST_BYTES);
    }

    @Test
    void artifactsOnlyTurnsEveryTrackingAndRegistryEndpointIntoA503() {
        try (ArtifactServer s = ArtifactServer.options().artifactsOnly().start()) {
            String[] tracking = {"/mlflow/experiments/get?experiment_id=0", "/mlflow/runs/get?run_id=x", "/mlflow/registered-models/search",
                    "/mlflow/model-versions/get?name=m&version=1", "/mlflow/artifacts/list?run_id=x", "/mlflow/metrics/get-history?run_id=x&metric_key=m",
                    "/mlflow/no-such-endpoint"};
            for (String p : PREFIXES) {
                for (String t : tracking) {
                    Response r = s.client.get(p + t);
                    assertThat(r.status()).as(p + t).isEqualTo(503);
                    assertThat(r.errorCode()).isEqualTo("TEMPORARILY_UNAVAILABLE");
                    assertThat(r.message()).contains("disabled due to the mlflow server running in `--artifacts-only` mode");
                }
                Response create = s.client.postJson(p + "/mlflow/experiments/create", "{\"name\":\"blocked\"}");
                assertThat(create.status()).isEqualTo(503);
            }
            assertThat(s.client.get("/get-artifact?run_id=x&path=a.txt").status()).isEqualTo(503);
            assertThat(s.client.get("/model-versions/get-artifact?name=m&version=1&path=a").status()).isEqualTo(503);
            assertThat(s.client.get("/api/2.0/mlops-core/models/resolve?uri=models:/m/1").status()).isEqualTo(503);
            // Nothing was created behind the gate, and the proxy itself works.
            int blocked = s.server.database().read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM experiments WHERE name = 'blocked'")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(blocked).isZero();
            assertThat(s.client.put("/api/2.0/mlflow-artifacts/artifacts/only/a.txt", "a").status()).isEqualTo(200);
            assertThat(s.client.get("/ajax-api/2.0/mlflow-artifacts/artifacts/only/a.txt").text()).isEqualTo("a");
            assertThat(s.client.get("/health").status()).isEqualTo(200);
        }
    }
}
