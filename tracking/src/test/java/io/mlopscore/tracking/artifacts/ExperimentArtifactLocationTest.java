package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import io.mlopscore.tracking.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** create-experiment's artifact_location checks: MLflow's CVE fixes, and local paths confined to the server's roots. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExperimentArtifactLocationTest {
    ArtifactServer server;

    @BeforeAll
    void start() {
        server = ArtifactServer.options().start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    Response create(String location) {
        String body = Http.obj().put("name", "loc-" + System.nanoTime()).put("artifact_location", location).toString();
        return server.client.postJson("/api/2.0/mlflow/experiments/create", body);
    }

    int experiments() {
        Integer count = server.server.database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM experiments")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        return count;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"http:///#/../../../../etc/", "http://host#/../../../../etc/", "http:///;/../../../etc/",
            "mlflow-artifacts:/x#frag", "s3://bucket/p;params", "file:///tmp/x#y"})
    void fragmentsAndParamsAreRefused(String location) {
        int before = experiments();
        Response r = create(location);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("'artifact_location' URL can't include fragments or params.");
        assertThat(experiments()).isEqualTo(before);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"http:///?/../../../../etc/", "http://h/p?x=%2e%2e/etc", "http://h/p?x=%252e%252e%252f", "s3://b/p?a=.."})
    void traversalInTheQueryIsRefused(String location) {
        int before = experiments();
        Response r = create(location);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("Invalid query string");
        assertThat(experiments()).isEqualTo(before);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"runs:/0123456789abcdef/model", "/etc", "file:///etc", "file:///tmp", "file://10.0.0.1/share", "../outside",
            "mlflow-artifacts:/../x", "s3://b/%2e%2e/x", "relative/inside/working/folder"})
    void runsUrisLocalPathsOutsideTheRootsAndDotDotSegmentsAreRefused(String location) {
        int before = experiments();
        Response r = create(location);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(experiments()).isEqualTo(before);
    }

    @org.junit.jupiter.api.Test
    void theJsonEscapedSlashPayloadOfCve20242928IsRefusedToo() {
        Response r = server.client.postJson("/api/2.0/mlflow/experiments/create",
                "{\"name\":\"cve\",\"artifact_location\":\"http:\\/\\/\\/#\\/..\\/..\\/..\\/etc\\/\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("'artifact_location' URL can't include fragments or params.");
    }

    @org.junit.jupiter.api.Test
    void locationsInsideTheRootsAndRemoteOnesAreAccepted() {
        for (String ok : new String[] {"mlflow-artifacts:/custom", "http://127.0.0.1:9/api/2.0/mlflow-artifacts/artifacts/x",
                server.destination.resolve("exp-a").toString(), "file://" + server.destination.resolve("exp-b"), "models-..../x"}) {
            Response r = create(ok);
            if (ok.startsWith("models-")) {
                assertThat(r.status()).as("a relative path outside the roots").isEqualTo(400);
                continue;
            }
            assertThat(r.status()).as(ok + " -> " + r).isEqualTo(200);
        }
    }

    @org.junit.jupiter.api.Test
    void objectStoreLocationsOutsideTheConfiguredRootsAreRefused() {
        // The server reads run artifacts with its own credentials: an experiment may not name any bucket.
        for (String outside : new String[] {"s3://bucket/prefix", "s3://other-bucket/x", "gs://b/p"}) {
            Response r = create(outside);
            assertThat(r.status()).as(outside).isEqualTo(400);
            assertThat(r.message()).contains("inside one of this server's artifact roots");
        }
    }

    @org.junit.jupiter.api.Test
    void aLocalLocationThroughASymlinkOutOfTheRootIsRefused() throws Exception {
        java.nio.file.Path outside = java.nio.file.Files.createTempDirectory("outside-root");
        java.nio.file.Path link = server.destination.resolve("escape-link-" + System.nanoTime());
        java.nio.file.Files.createSymbolicLink(link, outside);
        try {
            for (String location : new String[] {link.toString(), "file://" + link, link.resolve("deeper").toString()}) {
                Response r = create(location);
                assertThat(r.status()).as(location).isEqualTo(400);
                assertThat(r.message()).contains("inside one of this server's artifact roots");
            }
        } finally {
            java.nio.file.Files.delete(link);
            java.nio.file.Files.delete(outside);
        }
    }
}
