package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.artifacts.testing.TreeSnapshot;
import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import io.mlopscore.tracking.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * One test per path-traversal form (MLflow's CVE list, notes §5) for every endpoint that takes a
 * path, over a raw socket so the request line reaches the server exactly as an attacker writes
 * it. Each must be refused with a 400 (or 403), and a snapshot of the whole test folder (the
 * destination, the links in it, and the sentinel files beside it) proves nothing was read into
 * a response, written, or deleted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactTraversalTest {
    static final String FILES = "/api/2.0/mlflow-artifacts/artifacts";
    static final String MPU = "/api/2.0/mlflow-artifacts/mpu";
    static final String SENTINEL = "sentinel: must never be read, changed or deleted";

    ArtifactServer server;
    ArtifactClient client;
    String runId;
    String model;
    String runDir;

    /**
     * An attack, written for the place it goes: {@code inPath} raw into a URL path, {@code inQuery}
     * raw into a query string (which the server decodes once before the path checks, as Flask does).
     * {@code depth} is how many folders the target lies below the destination, for the '..' forms.
     */
    record Attack(String name, Function<Integer, String> inPath, Function<Integer, String> inQuery) {}

    /** An endpoint that takes a path, and how an attack reaches it. */
    record Endpoint(String name, int depth, Function<String, Response> sendPathForm, Function<String, Response> sendQueryForm) {}

    List<Attack> attacks;
    List<Endpoint> endpoints;

    @BeforeAll
    void start() throws IOException {
        server = ArtifactServer.options().start();
        client = server.client;
        String exp = RunArtifactsContract.newExperiment(server, null);
        JsonNode run = server.http.api("runs/create", Http.obj().put("experiment_id", exp)).at("/run/info");
        runId = run.get("run_id").asText();
        runDir = exp + "/" + runId + "/artifacts";
        assertThat(client.put(FILES + "/" + runDir + "/a.txt", "a").status()).isEqualTo(200);
        assertThat(client.put(FILES + "/" + runDir + "/model/MLmodel", "m").status()).isEqualTo(200);
        model = "traversal-model";
        server.http.api("registered-models/create", Http.obj().put("name", model));
        server.http.api("model-versions/create", Http.obj().put("name", model).put("source", run.get("artifact_uri").asText() + "/model")
                .put("run_id", runId));
        // Links inside the served folders that point outside them.
        Files.createSymbolicLink(server.destination.resolve("link"), server.outside);
        Files.createSymbolicLink(server.destination.resolve(runDir).resolve("link"), server.outside);
        Files.createSymbolicLink(server.destination.resolve(runDir).resolve("model/link"), server.outside);

        String abs = server.outside.resolve("secret.txt").toString();
        attacks = List.of(
                new Attack("../", d -> "../".repeat(d + 1) + "outside/secret.txt", d -> "../".repeat(d + 1) + "outside/secret.txt"),
                new Attack("..\\", d -> "..%5C".repeat(d + 1) + "outside%5Csecret.txt", d -> "..%5C".repeat(d + 1) + "outside%5Csecret.txt"),
                new Attack("absolute path", d -> "/" + abs, d -> abs),
                new Attack("%2e%2e%2f", d -> "%2e%2e%2f".repeat(d + 1) + "outside%2fsecret.txt", d -> "%252e%252e%252f".repeat(d + 1) + "outside%252fsecret.txt"),
                new Attack("%252e%252e%252f (double-encoded)", d -> "%252e%252e%252f".repeat(d + 1) + "outside%252fsecret.txt",
                        d -> "%25252e%25252e%25252f".repeat(d + 1) + "outside%25252fsecret.txt"),
                new Attack("'#' trick", d -> "a.txt%23/" + "../".repeat(d + 1) + "outside/secret.txt", d -> "a.txt%23/" + "../".repeat(d + 1) + "outside/secret.txt"),
                new Attack("'?' trick", d -> "x%3F/" + "../".repeat(d + 1) + "outside/secret.txt", d -> "x%3F/" + "../".repeat(d + 1) + "outside/secret.txt"),
                new Attack("symlink inside the root pointing outside", d -> "link/secret.txt", d -> "link/secret.txt"),
                new Attack("file:// outside the roots", d -> "file://" + abs, d -> "file://" + abs),
                new Attack("C:/", d -> "C:/outside/secret.txt", d -> "C:/outside/secret.txt"),
                new Attack("11 levels of encoding", d -> eleven("a.txt"), d -> eleven("a.txt")));

        byte[] planted = "planted".getBytes(StandardCharsets.UTF_8);
        byte[] mpuCreate = "{\"path\":\"f.bin\",\"num_parts\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] mpuComplete = "{\"path\":\"f.bin\",\"upload_id\":\"u\",\"parts\":[{\"part_number\":1,\"etag\":\"e\"}]}".getBytes(StandardCharsets.UTF_8);
        byte[] mpuAbort = "{\"path\":\"f.bin\",\"upload_id\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        endpoints = List.of(
                new Endpoint("GET mlflow-artifacts/artifacts/<path>", 1, p -> client.raw("GET", FILES + "/" + p), null),
                new Endpoint("PUT mlflow-artifacts/artifacts/<path>", 1, p -> client.raw("PUT", FILES + "/" + p, planted, "application/octet-stream"), null),
                new Endpoint("DELETE mlflow-artifacts/artifacts/<path>", 1, p -> client.raw("DELETE", FILES + "/" + p), null),
                new Endpoint("GET mlflow-artifacts/artifacts?path=", 1, null, q -> client.raw("GET", FILES + "?path=" + q)),
                new Endpoint("POST mlflow-artifacts/mpu/create/<path>", 1, p -> client.raw("POST", MPU + "/create/" + p, mpuCreate, "application/json"), null),
                new Endpoint("POST mlflow-artifacts/mpu/complete/<path>", 1, p -> client.raw("POST", MPU + "/complete/" + p, mpuComplete, "application/json"), null),
                new Endpoint("POST mlflow-artifacts/mpu/abort/<path>", 1, p -> client.raw("POST", MPU + "/abort/" + p, mpuAbort, "application/json"), null),
                new Endpoint("GET mlflow/artifacts/list?path=", 4, null, q -> client.raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + q)),
                new Endpoint("GET /get-artifact?path=", 4, null, q -> client.raw("GET", "/get-artifact?run_id=" + runId + "&path=" + q)),
                new Endpoint("GET /model-versions/get-artifact?path=", 5, null,
                        q -> client.raw("GET", "/model-versions/get-artifact?name=" + model + "&version=1&path=" + q)));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** "a.txt" percent-encoded eleven times over: past the ten decoding rounds allowed. */
    static String eleven(String s) {
        String e = s.replace("a", "%61");
        for (int i = 1; i < 11; i++) {
            e = e.replace("%", "%25");
        }
        return e;
    }

    @TestFactory
    Stream<DynamicTest> everyAttackFormOnEveryEndpointIsRefusedAndTouchesNothing() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (Attack a : attacks) {
                boolean symlinkOnMultipart = a.name().startsWith("symlink") && e.name().contains("/mpu/");
                tests.add(DynamicTest.dynamicTest(e.name() + " <- " + a.name(), () -> {
                    TreeSnapshot before = TreeSnapshot.of(server.base);
                    Response r = e.sendPathForm() != null ? e.sendPathForm().apply(a.inPath().apply(e.depth()))
                            : e.sendQueryForm().apply(a.inQuery().apply(e.depth()));
                    if (symlinkOnMultipart) {
                        // A plain relative folder name: multipart is refused as unsupported on a local folder
                        // (only S3 has it, and S3 has no links), still before anything is touched.
                        assertThat(r.status()).isEqualTo(501);
                    } else {
                        assertThat(r.status()).as(r.toString()).isIn(400, 403);
                        assertThat(r.errorCode()).isIn("INVALID_PARAMETER_VALUE", "PERMISSION_DENIED", "BAD_REQUEST");
                    }
                    assertThat(r.text()).doesNotContain(SENTINEL).doesNotContain("root:x:0:0");
                    assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
                    assertThat(server.outside.resolve("secret.txt")).hasContent(SENTINEL);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theSameRequestsWithPlainPathsSucceed() {
        // The control: what the attacks are refused for is the path, nothing else in the request.
        assertThat(client.raw("GET", FILES + "/" + runDir + "/a.txt").text()).isEqualTo("a");
        assertThat(client.raw("GET", FILES + "?path=" + runDir).status()).isEqualTo(200);
        assertThat(client.raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=model").status()).isEqualTo(200);
        assertThat(client.raw("GET", "/get-artifact?run_id=" + runId + "&path=a.txt").text()).isEqualTo("a");
        assertThat(client.raw("GET", "/model-versions/get-artifact?name=" + model + "&version=1&path=MLmodel").text()).isEqualTo("m");
        assertThat(client.raw("POST", MPU + "/create/" + runDir, "{\"path\":\"f.bin\",\"num_parts\":1}".getBytes(StandardCharsets.UTF_8),
                "application/json").status()).isEqualTo(501);
        assertThat(client.raw("PUT", FILES + "/control/c.txt", "c".getBytes(StandardCharsets.UTF_8), "text/plain").status()).isEqualTo(200);
        assertThat(client.raw("DELETE", FILES + "/control").status()).isEqualTo(200);
        assertThat(server.destination.resolve("control")).doesNotExist();
    }

    @Test
    void theMessageIsMlflowsInvalidPath() {
        Response r = client.raw("GET", FILES + "/..%2f..%2fetc%2fpasswd");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text()).isEqualTo("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid path\"}");
        Response q = client.raw("GET", "/get-artifact?run_id=" + runId + "&path=../../../../etc/passwd");
        assertThat(q.text()).isEqualTo("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid path\"}");
    }

    @Test
    void rawBackslashesAndNulsAreRefusedByTheHttpLayerItself() {
        TreeSnapshot before = TreeSnapshot.of(server.base);
        assertThat(client.raw("GET", FILES + "/..\\outside\\secret.txt").status()).isEqualTo(400);
        assertThat(client.raw("PUT", FILES + "/..\\planted.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain").status()).isEqualTo(400);
        assertThat(client.raw("GET", FILES + "/a%00b").status()).isEqualTo(400);
        assertThat(client.raw("DELETE", FILES + "/a/..;/..;/outside").status()).isEqualTo(400);
        assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
    }

    @Test
    void aMultipartFileNameCannotClimbEither() {
        TreeSnapshot before = TreeSnapshot.of(server.base);
        for (String name : new String[] {"..", "a/..", "C:\\x\\..", "dir/%2e%2e"}) {
            Response r = client.postJson(MPU + "/create/" + runDir, "{\"path\":\"" + name.replace("\\", "\\\\") + "\",\"num_parts\":1}");
            assertThat(r.status()).as(name + " -> " + r).isIn(400, 501);
        }
        assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
    }

    @Test
    void aStoredRunRootOutsideTheServedFoldersServesNothing() throws SQLException {
        String exp = RunArtifactsContract.newExperiment(server, null);
        String escaped = server.http.api("runs/create", Http.obj().put("experiment_id", exp)).at("/run/info/run_id").asText();
        TreeSnapshot before = TreeSnapshot.of(server.base);
        // As an old database, or a bypassed check, might hold them.
        for (String root : new String[] {"file://" + server.outside, server.outside.toString(), "mlflow-artifacts:/../outside",
                "mlflow-artifacts:/%2e%2e/outside", "http://127.0.0.1:9/api/2.0/mlflow-artifacts/artifacts/../outside",
                "http://169.254.169.254/latest/meta-data"}) {
            setRunRoot(escaped, root);
            Response get = client.get("/get-artifact?run_id=" + escaped + "&path=secret.txt");
            assertThat(get.status()).as(root + " -> " + get).isIn(400, 403);
            assertThat(get.text()).doesNotContain(SENTINEL);
            Response list = client.get("/api/2.0/mlflow/artifacts/list?run_id=" + escaped);
            assertThat(list.status()).as(root + " -> " + list).isIn(400, 403);
        }
        assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
    }

    @Test
    void aLinkThatStaysInsideTheDestinationIsFollowed() throws IOException {
        Files.createDirectories(server.destination.resolve("inside-target"));
        Files.writeString(server.destination.resolve("inside-target/ok.txt"), "ok");
        Path link = server.destination.resolve("inside-link");
        Files.createSymbolicLink(link, server.destination.resolve("inside-target"));
        try {
            assertThat(client.get(FILES + "/inside-link/ok.txt").text()).isEqualTo("ok");
        } finally {
            Files.delete(link);
        }
    }

    private void setRunRoot(String run, String root) throws SQLException {
        try (Connection c = server.server.database().pool().getConnection();
             PreparedStatement p = c.prepareStatement("UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?")) {
            p.setString(1, root);
            p.setString(2, run);
            assertThat(p.executeUpdate()).isEqualTo(1);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }
}
