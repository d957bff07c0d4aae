package io.mlopscore.tracking.registry;

import static io.mlopscore.tracking.registry.RegistryHttp.API;
import static io.mlopscore.tracking.registry.RegistryHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Model version sources from the MLflow path-traversal CVEs (2023-1177, -2356, -2780, -6909,
 * -6975, -6977; 2024-1483, -3573, -3848) and their encoded variants: each is refused with a 400,
 * and the model is left exactly as it was. The sources MLflow's own tests accept still are.
 */
abstract class SourceValidationContract extends RegistryTestBase {
    private static final String LOCAL_MESSAGE = "To use a local path as a model version source, the run_id request parameter has to be "
            + "specified and the local path has to be contained within the artifact directory of the run specified by the run_id.";
    private static final String RELATIVE_MESSAGE = "an absolute path must be provided without relative path references present";

    String localRunId;
    String localArtifactUri;
    String proxiedRunId;

    @BeforeAll
    void localRunAndProxiedRun() throws IOException {
        String[] run = localRun();
        localRunId = run[0];
        localArtifactUri = run[1];
        Path dir = Path.of(java.net.URI.create(localArtifactUri));
        Files.createDirectories(dir.resolve("model"));
        Files.createSymbolicLink(dir.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("no-such-target"));
        proxiedRunId = proxiedRun();
    }

    /** Creates a version and requires the refusal; returns the message. */
    private String refused(String model, String source, String runId) {
        ObjectNode body = obj().put("name", model).put("source", source);
        if (runId != null) {
            body.put("run_id", runId);
        }
        return error(http.post(API + "model-versions/create", body), 400, "INVALID_PARAMETER_VALUE");
    }

    private JsonNode accepted(String model, String source, String runId) {
        ObjectNode body = obj().put("name", model).put("source", source);
        if (runId != null) {
            body.put("run_id", runId);
        }
        return ok(http.post(API + "model-versions/create", body)).get("model_version");
    }

    private void assertNothingWritten(String model, JsonNode before) {
        assertThat(getModel(model)).isEqualTo(before);
        assertThat(ok(http.get(API + "model-versions/search?filter=" + q("name = '" + model + "'"))).isEmpty()).isTrue();
        long rows = server.database().read(c -> {
            try (var p = c.prepareStatement("SELECT COUNT(*) FROM model_versions WHERE name = ?")) {
                p.setString(1, model);
                try (var rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(rows).isZero();
    }

    @Test
    void localSourcesOutsideTheRunsArtifactDirectoryAreRefused() {
        String model = unique("local-attack");
        JsonNode before = createModel(model);
        List<String[]> cases = new ArrayList<>();
        for (String runId : new String[] {null, localRunId, proxiedRunId}) {
            for (String source : List.of("file:///etc", "file:///etc/", "/etc/passwd", "//proc/self/root", "//proc/self/root/etc/passwd",
                    "file://./etc", "file://./etc/passwd", "file://localhost/etc", "file://127.0.0.1/etc", "file:/etc", "FILE:///etc",
                    "etc/passwd", "../../etc", "./", "file%3A%2F%2F%2Fetc", "/tmp")) {
                cases.add(new String[] {source, runId});
            }
        }
        for (String[] c : cases) {
            assertThat(refused(model, c[0], c[1])).as(c[0] + " run " + c[1]).contains(LOCAL_MESSAGE);
        }
        // With a run, MLflow's message shows the resolved path; ours quotes the source as given, so it
        // never tells the client where a symbolic link points.
        assertThat(refused(model, "file:///etc/../etc", localRunId)).startsWith("Invalid model version source: 'file:///etc/../etc'.");
        assertThat(refused(model, "file:///etc", null)).startsWith("Invalid model version source: 'file:///etc'.");
        assertNothingWritten(model, before);
    }

    @Test
    void escapesFromInsideTheRunDirectoryAreRefusedInEveryEncoding() {
        String model = unique("escape-attack");
        JsonNode before = createModel(model);
        String root = localArtifactUri;
        for (String source : List.of(root + "/../../..", root + "/model/../../other-run", root + "/%2e%2e/%2e%2e", root + "/%2E%2E%2F%2E%2E",
                root + "/%252e%252e/%252e%252e", root + "/%25252e%25252e%25252f%25252e%25252e", root + "/escape", root + "/escape/passwd",
                root + "/dangling", root + "/model\\..\\..\\..", root + "/a%00b", root + "/model/..%2f..%2f..")) {
            String message = refused(model, source, localRunId);
            assertThat(message).as(source).startsWith("Invalid model version source: '");
        }
        error(http.post(API + "model-versions/create", obj().put("name", model).put("source", root + "/x\u0000y").put("run_id", localRunId)),
                400, "INVALID_PARAMETER_VALUE");
        assertThat(error(http.post(API + "model-versions/create", obj().put("name", model).put("source", "file:///x")
                .put("run_id", "0123456789abcdef0123456789abcdef")), 404, "RESOURCE_DOES_NOT_EXIST"))
                .isEqualTo("Run with id=0123456789abcdef0123456789abcdef not found");
        assertNothingWritten(model, before);
    }

    @Test
    void aFileUriNamingAnotherHostIsRefused() {
        String model = unique("remote-file");
        JsonNode before = createModel(model);
        assertThat(refused(model, "file://123.456.789.123/path/to/source", localRunId))
                .isEqualTo("file://123.456.789.123/path/to/source is not a valid remote uri. For remote access on windows, please consider "
                        + "using a different scheme such as SMB (e.g. smb://<hostname>/<path>).");
        refused(model, "file://evil.example/etc/passwd", null);
        assertNothingWritten(model, before);
    }

    @Test
    void relativeReferencesInRemoteSourcesAreRefusedInEveryEncoding() {
        String model = unique("remote-attack");
        JsonNode before = createModel(model);
        for (String source : List.of("mlflow-artifacts://host:9000/models/../../../", "http://host:9000/models/../../../",
                "https://host/api/2.0/mlflow-artifacts/artifacts/../../../", "s3a://my_bucket/api/2.0/mlflow-artifacts/artifacts/../../../",
                "ftp://host:8888/api/2.0/mlflow-artifacts/artifacts/../../../", "mlflow-artifacts://host:9000/models/..%2f..%2fartifacts",
                "mlflow-artifacts://host:9000/models/artifact%00", "dbfs:/" + proxiedRunId + "/artifacts/a%3f/../../../../../../../../../../",
                "s3://bucket/x/../../y", "s3://bucket/x/%2e%2e/y", "s3://bucket/x/%2E%2E%2Fy", "s3://bucket/x/%252e%252e/y",
                "s3://bucket/x/%25252e%25252e%25252fy", "mlflow-artifacts:/x/..", "mlflow-artifacts:/../x", "mlflow-artifacts:/x/./y",
                "mlflow-artifacts:models", "s3://bucket", "s3://bucket/x\\..\\..\\y", "https://host/a/..;/b", "gs://b/%2e%2e%2f%2e%2e%2fetc",
                "runs:/" + proxiedRunId + "/../../x", "models:/a/../b", "http://h/p?x=/../../", "hdfs://h/p#/../x",
                "mlflow-artifacts:/a/.\t./b", "mlflow-artifacts:/a/.%09./b", "s3://b/x%0A/y", "s3://b/x%7F")) {
            assertThat(refused(model, source, null)).as(source).startsWith("Invalid model version source: '" + source + "'.")
                    .contains(RELATIVE_MESSAGE);
        }
        refused(model, "mlflow-artifacts:/x/..", proxiedRunId);
        assertNothingWritten(model, before);
    }

    @Test
    void sourcesMlflowAcceptsAreAccepted() {
        String model = unique("accepted");
        String other = unique("accepted-target");
        createModel(model);
        createModel(other);
        accepted(other, "s3://b/p", null);
        List<String> sources = List.of("mlflow-artifacts:/models", "mlflow-artifacts:/models/", "mlflow-artifacts:/models///",
                "mlflow-artifacts:/models/foo///bar", "mlflow-artifacts://host:9000/models", "mlflow-artifacts://host:9000/models/artifact/..../",
                "s3://b/p", "runs:/" + proxiedRunId + "/model", "models:/" + other + "/1", "http://host/api/2.0/mlflow-artifacts/artifacts/1/x",
                "gs://bucket/a%20b/model", "s3://b/p+q");
        int version = 0;
        for (String source : sources) {
            assertThat(accepted(model, source, null).get("version").asInt()).as(source).isEqualTo(++version);
        }
        for (String source : List.of(localArtifactUri, localArtifactUri + "/model", localArtifactUri + "/.", localArtifactUri + "/model/..",
                localArtifactUri + "/model/", Path.of(java.net.URI.create(localArtifactUri)).toString() + "/model")) {
            JsonNode v = accepted(model, source, localRunId);
            assertThat(v.get("source").asText()).isEqualTo(source);
            assertThat(v.get("run_id").asText()).isEqualTo(localRunId);
        }
    }
}
