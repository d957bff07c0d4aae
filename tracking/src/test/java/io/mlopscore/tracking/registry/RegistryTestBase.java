package io.mlopscore.tracking.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.testing.Backend;
import io.mlopscore.tracking.testing.Http;
import io.mlopscore.tracking.testing.Http.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A tracking server on a free loopback port over a fresh backend for one test class, serving
 * artifacts from a temporary folder ({@link #artifactsDir}, where local-run experiments live),
 * with helpers for registry calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryTestBase {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    Backend backend;
    TrackingServer server;
    Path artifactsDir;
    RegistryHttp http;

    abstract String backendKind();

    @BeforeAll
    void startServer() throws IOException {
        backend = Backend.of(backendKind());
        artifactsDir = Files.createTempDirectory("mlops-core-registry-artifacts").toRealPath();
        server = TrackingServer.start(new TrackingConfig("127.0.0.1", 0, backend.uri(), null, artifactsDir.toString(), true, false,
                TrackingConfig.DEFAULT_MAX_REQUEST_BYTES));
        http = new RegistryHttp(server.url());
    }

    @AfterAll
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (artifactsDir != null) {
            try (var paths = Files.walk(artifactsDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A name no other test uses. */
    static String unique(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime();
    }

    static ObjectNode obj() {
        return Http.obj();
    }

    /** Requires a 200 and returns the JSON body. */
    static JsonNode ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return r.json();
    }

    /** Requires MLflow's error shape with this status and code, and returns the message. */
    static String error(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.get("error_code").asText()).isEqualTo(code);
        assertThat(body.has("message")).isTrue();
        return body.get("message").asText();
    }

    JsonNode createModel(String name) {
        return ok(http.post(RegistryHttp.API + "registered-models/create", obj().put("name", name))).get("registered_model");
    }

    JsonNode createVersion(String name, String source) {
        return ok(http.post(RegistryHttp.API + "model-versions/create", obj().put("name", name).put("source", source))).get("model_version");
    }

    JsonNode getVersion(String name, String version) {
        return ok(http.get(RegistryHttp.API + "model-versions/get?name=" + RegistryHttp.q(name) + "&version=" + version)).get("model_version");
    }

    JsonNode getModel(String name) {
        return ok(http.get(RegistryHttp.API + "registered-models/get?name=" + RegistryHttp.q(name))).get("registered_model");
    }

    JsonNode transition(String name, String version, String stage, boolean archive) {
        return ok(http.post(RegistryHttp.API + "model-versions/transition-stage", obj().put("name", name).put("version", version)
                .put("stage", stage).put("archive_existing_versions", archive))).get("model_version");
    }

    void setAlias(String name, String alias, String version) {
        ok(http.post(RegistryHttp.API + "registered-models/alias", obj().put("name", name).put("alias", alias).put("version", version)));
    }

    /** An experiment whose runs keep artifacts in a local folder under {@link #artifactsDir}, and one run in it: {run id, artifact URI}. */
    String[] localRun() {
        String location = artifactsDir.resolve(unique("local-exp")).toUri().toString();
        String exp = ok(http.post("/api/2.0/mlflow/experiments/create", obj().put("name", unique("local-exp"))
                .put("artifact_location", location))).get("experiment_id").asText();
        JsonNode run = ok(http.post("/api/2.0/mlflow/runs/create", obj().put("experiment_id", exp))).at("/run/info");
        return new String[] {run.get("run_id").asText(), run.get("artifact_uri").asText()};
    }

    /** A run in the default experiment, whose artifact URI is mlflow-artifacts:/ (not local). */
    String proxiedRun() {
        return ok(http.post("/api/2.0/mlflow/runs/create", obj().put("experiment_id", "0"))).at("/run/info/run_id").asText();
    }
}
