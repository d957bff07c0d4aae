package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.artifacts.testing.S3ProxyServer;
import io.mlopscore.artifacts.testing.TestStreams;
import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import io.mlopscore.tracking.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The proxy over an S3 destination (s3proxy, a real S3-compatible server), configured as a user
 * would: {@code --artifacts-destination s3://bucket/prefix} with {@code MLFLOW_S3_ENDPOINT_URL} and
 * the AWS default credential chain (here its {@code aws.*} system properties). Multipart uploads go
 * through the presigned part URLs the proxy hands out, as MLflow's Python client sends them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ArtifactProxyTest {
    static final String BUCKET = "proxy";
    static final String FILES = "/api/2.0/mlflow-artifacts/artifacts";
    static final String[] PROPERTIES = {"MLFLOW_S3_ENDPOINT_URL", "aws.accessKeyId", "aws.secretAccessKey", "aws.region"};
    S3ProxyServer s3proxy;
    S3Client side;
    ArtifactServer server;
    ArtifactClient client;

    @BeforeAll
    void start() {
        s3proxy = S3ProxyServer.start();
        s3proxy.createBucket(BUCKET);
        side = s3proxy.client();
        System.setProperty("MLFLOW_S3_ENDPOINT_URL", s3proxy.endpoint().toString());
        System.setProperty("aws.accessKeyId", S3ProxyServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyServer.SECRET_KEY);
        System.setProperty("aws.region", S3ProxyServer.REGION.id());
        server = ArtifactServer.options().destination("s3://" + BUCKET + "/mlartifacts").start();
        client = server.client;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        for (String p : PROPERTIES) {
            System.clearProperty(p);
        }
        if (side != null) {
            side.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    Set<String> keys(String prefix) {
        return side.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void uploadsDownloadsListingsAndDeletesGoToTheBucketPrefix() {
        assertThat(client.put(FILES + "/s3run/a.txt", "a").status()).isEqualTo(200);
        assertThat(client.put(FILES + "/s3run/dir/b.bin", "bb").status()).isEqualTo(200);
        assertThat(keys("mlartifacts/s3run/")).containsExactly("mlartifacts/s3run/a.txt", "mlartifacts/s3run/dir/b.bin");

        Response get = client.get(FILES + "/s3run/a.txt");
        assertThat(get.text()).isEqualTo("a");
        assertThat(get.header("content-disposition")).isEqualTo("attachment; filename=a.txt");
        assertThat(get.header("content-length")).isEqualTo("1");
        assertThat(client.get(FILES + "?path=s3run").text())
                .isEqualTo("{\"files\":[{\"path\":\"a.txt\",\"is_dir\":false,\"file_size\":1},{\"path\":\"dir\",\"is_dir\":true}]}");
        assertThat(client.get(FILES + "/s3run/missing.txt").status()).isEqualTo(404);

        assertThat(client.delete(FILES + "/s3run/dir").status()).isEqualTo(200);
        assertThat(keys("mlartifacts/s3run/")).containsExactly("mlartifacts/s3run/a.txt");
        assertThat(client.raw("GET", FILES + "/..%2f..%2fother-bucket%2fx").status()).isEqualTo(400);
    }

    @Test
    void aStreamedUploadRoundTripsWithItsChecksum() {
        long size = 40L * 1024 * 1024 + 7;
        Response put = client.put(FILES + "/s3run/big.bin", () -> TestStreams.random(size, 11), size);
        assertThat(put.status()).isEqualTo(200);
        String expected = sha(TestStreams.random(size, 11));
        assertThat(put.header("x-artifact-sha256")).isEqualTo(expected);
        ArtifactClient.Download d = client.download(FILES + "/s3run/big.bin");
        assertThat(d.size()).isEqualTo(size);
        assertThat(d.sha256()).isEqualTo(expected);
        Response chunked = client.put(FILES + "/s3run/chunked.bin", () -> TestStreams.random(20_000_000, 12), -1);
        assertThat(chunked.status()).isEqualTo(200);
        assertThat(client.download(FILES + "/s3run/chunked.bin").sha256()).isEqualTo(sha(TestStreams.random(20_000_000, 12)));
    }

    @Test
    void multipartUploadsGoStraightToS3ThroughPresignedUrls() throws IOException {
        int partSize = 5 * 1024 * 1024;
        byte[] all = TestStreams.random(partSize * 2L + 100, 21).readAllBytes();
        String runPath = "mpu-run/artifacts";
        Response created = client.postJson("/api/2.0/mlflow-artifacts/mpu/create/" + runPath,
                "{\"path\":\"/home/me/models/weights.bin\",\"num_parts\":3}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        JsonNode body = created.json();
        String uploadId = body.get("upload_id").asText();
        assertThat(body.get("credentials")).hasSize(3);

        var parts = Http.obj().putArray("parts");
        for (JsonNode c : body.get("credentials")) {
            int n = c.get("part_number").asInt();
            int from = (n - 1) * partSize;
            int to = Math.min(all.length, from + partSize);
            assertThat(c.get("url").asText()).startsWith(s3proxy.endpoint().toString());
            Response part = client.putTo(URI.create(c.get("url").asText()), java.util.Arrays.copyOfRange(all, from, to));
            assertThat(part.status()).isEqualTo(200);
            parts.addObject().put("part_number", n).put("etag", part.header("etag")).put("url", c.get("url").asText());
        }
        assertThat(keys("mlartifacts/mpu-run/")).as("nothing visible before complete").isEmpty();
        var complete = Http.obj().put("path", "/home/me/models/weights.bin").put("upload_id", uploadId);
        complete.set("parts", parts);
        Response done = client.postJson("/api/2.0/mlflow-artifacts/mpu/complete/" + runPath, complete.toString());
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.text()).isEqualTo("{}");
        ArtifactClient.Download d = client.download(FILES + "/" + runPath + "/weights.bin");
        assertThat(d.size()).isEqualTo(all.length);
        assertThat(d.sha256()).isEqualTo(sha(new ByteArrayInputStream(all)));
    }

    @Test
    void anAbortedMultipartUploadLeavesNothing() {
        Response created = client.postJson("/ajax-api/2.0/mlflow-artifacts/mpu/create/abort-run", "{\"path\":\"C:\\\\Users\\\\me\\\\m.bin\",\"num_parts\":1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String uploadId = created.json().get("upload_id").asText();
        String url = created.json().at("/credentials/0/url").asText();
        assertThat(client.putTo(URI.create(url), "part".getBytes()).status()).isEqualTo(200);
        Response aborted = client.postJson("/api/2.0/mlflow-artifacts/mpu/abort/abort-run", "{\"path\":\"m.bin\",\"upload_id\":\"" + uploadId + "\"}");
        assertThat(aborted.status()).isEqualTo(200);
        assertThat(keys("mlartifacts/abort-run/")).isEmpty();
        assertThat(side.listMultipartUploads(b -> b.bucket(BUCKET).prefix("mlartifacts/abort-run/")).uploads()).isEmpty();
        Response late = client.postJson("/api/2.0/mlflow-artifacts/mpu/complete/abort-run",
                "{\"path\":\"m.bin\",\"upload_id\":\"" + uploadId + "\",\"parts\":[{\"part_number\":1,\"etag\":\"x\"}]}");
        assertThat(late.status()).as("the client's mistake, never a 500").isIn(400, 404);
    }

    @Test
    void badMultipartRequestsAre400s() {
        assertThat(client.postJson("/api/2.0/mlflow-artifacts/mpu/create/r", "{\"path\":\"f\",\"num_parts\":0}").status()).isEqualTo(400);
        assertThat(client.postJson("/api/2.0/mlflow-artifacts/mpu/create/r", "{\"path\":\"f\",\"num_parts\":10001}").status()).isEqualTo(400);
        assertThat(client.postJson("/api/2.0/mlflow-artifacts/mpu/create/r", "{\"path\":\"..\",\"num_parts\":1}").status()).isEqualTo(400);
        assertThat(client.postJson("/api/2.0/mlflow-artifacts/mpu/complete/r", "{\"path\":\"f\",\"upload_id\":\"u\"}").message())
                .startsWith("Missing value for required parameter 'parts'.");
        assertThat(client.postJson("/api/2.0/mlflow-artifacts/mpu/abort/r", "{\"path\":\"f\",\"upload_id\":\"nope\"}").status()).isIn(400, 404);
    }

    static String sha(java.io.InputStream in) {
        try {
            return TestStreams.sha256(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
