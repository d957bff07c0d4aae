package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.artifacts.testing.TreeSnapshot;
import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The artifact proxy over a local destination, over real HTTP: MLflow's answers and headers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactProxyTest {
    static final String FILES = "/api/2.0/mlflow-artifacts/artifacts";
    static final String AJAX_FILES = "/ajax-api/2.0/mlflow-artifacts/artifacts";
    ArtifactServer server;
    ArtifactClient client;

    @BeforeAll
    void start() {
        server = ArtifactServer.options().maxArtifactBytes(10_000_000).start();
        client = server.client;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    String unique(String name) {
        return "t" + System.nanoTime() + "/" + name;
    }

    @Test
    void anUploadLandsInTheDestinationAndDownloadsWithMlflowsHeaders() throws IOException {
        String p = unique("dir/model.pkl");
        Response put = client.put(FILES + "/" + p, "pickled bytes");
        assertThat(put.status()).isEqualTo(200);
        assertThat(put.text()).isEqualTo("{}");
        assertThat(put.header("content-type")).startsWith("application/json");
        assertThat(server.destination.resolve(p)).hasContent("pickled bytes");

        Response get = client.get(FILES + "/" + p);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).isEqualTo("pickled bytes");
        assertThat(get.header("content-type")).isEqualTo("application/octet-stream");
        assertThat(get.header("content-disposition")).isEqualTo("attachment; filename=model.pkl");
        assertThat(get.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(get.header("content-length")).isEqualTo("13");
    }

    @Test
    void theContentTypeComesFromTheFileNameNotTheRequest() {
        String dir = unique("");
        for (String name : new String[] {"a.txt", "MLmodel", "mlproject", "plot.png", "report.pdf", "page.html", "x+y.json"}) {
            assertThat(client.put(FILES + "/" + dir + name, "x").status()).isEqualTo(200);
        }
        assertThat(client.get(FILES + "/" + dir + "a.txt").header("content-type")).isEqualTo("text/plain;charset=utf-8");
        assertThat(client.get(FILES + "/" + dir + "MLmodel").header("content-type")).startsWith("text/plain");
        assertThat(client.get(FILES + "/" + dir + "mlproject").header("content-type")).startsWith("text/plain");
        assertThat(client.get(FILES + "/" + dir + "plot.png").header("content-type")).isEqualTo("image/png");
        assertThat(client.get(FILES + "/" + dir + "report.pdf").header("content-type")).isEqualTo("application/pdf");
        Response html = client.get(FILES + "/" + dir + "page.html");
        assertThat(html.header("content-type")).startsWith("text/html");
        assertThat(html.header("content-disposition")).isEqualTo("attachment; filename=page.html");
        assertThat(html.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(client.get(FILES + "/" + dir + "x+y.json").header("content-disposition")).isEqualTo("attachment; filename=x+y.json");
    }

    @Test
    void percentEncodedNamesAreDecodedOnce() {
        String dir = unique("");
        assertThat(client.put(FILES + "/" + dir + "my%20model.txt", "spaced").status()).isEqualTo(200);
        assertThat(server.destination.resolve(dir + "my model.txt")).hasContent("spaced");
        assertThat(client.get(FILES + "/" + dir + "my%20model.txt").text()).isEqualTo("spaced");
        Response unicode = client.put(FILES + "/" + dir + "m%C3%BCller.txt", "u");
        assertThat(unicode.status()).isEqualTo(200);
        assertThat(client.get(FILES + "/" + dir + "m%C3%BCller.txt").header("content-disposition"))
                .isEqualTo("attachment; filename=\"m_ller.txt\"; filename*=UTF-8''m%C3%BCller.txt");
    }

    @Test
    void theListingShowsBasenamesSortedWithSizesForFiles() {
        String dir = "listing" + System.nanoTime();
        client.put(FILES + "/" + dir + "/a.txt", "a");
        client.put(FILES + "/" + dir + "/dir/b.txt", "b");
        Response root = client.get(FILES + "?path=" + dir);
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.text()).isEqualTo("{\"files\":[{\"path\":\"a.txt\",\"is_dir\":false,\"file_size\":1},{\"path\":\"dir\",\"is_dir\":true}]}");
        assertThat(client.get(FILES + "?path=" + dir + "/dir").text()).isEqualTo("{\"files\":[{\"path\":\"b.txt\",\"is_dir\":false,\"file_size\":1}]}");
        assertThat(client.get(AJAX_FILES + "?path=" + dir + "/dir").text()).isEqualTo("{\"files\":[{\"path\":\"b.txt\",\"is_dir\":false,\"file_size\":1}]}");
        assertThat(client.get(FILES + "?path=" + dir + "/missing").text()).isEqualTo("{}");
        assertThat(client.get(FILES + "?path=" + dir + "/a.txt").text()).as("a file lists as empty").isEqualTo("{}");
        assertThat(client.get(FILES).status()).as("the root").isEqualTo(200);
        assertThat(client.get(FILES + "?path=").status()).isEqualTo(200);
    }

    @Test
    void anUploadReplacesTheFileAndAjaxWorksTheSame() {
        String p = unique("f.txt");
        client.put(AJAX_FILES + "/" + p, "one");
        client.put(FILES + "/" + p, "two");
        assertThat(client.get(AJAX_FILES + "/" + p).text()).isEqualTo("two");
    }

    @Test
    void deletesAreRecursiveAndAMissingPathIsFine() {
        String dir = "del" + System.nanoTime();
        client.put(FILES + "/" + dir + "/x/y.txt", "y");
        client.put(FILES + "/" + dir + "/z.txt", "z");
        Response del = client.delete(FILES + "/" + dir + "/x");
        assertThat(del.status()).isEqualTo(200);
        assertThat(del.text()).isEqualTo("{}");
        assertThat(server.destination.resolve(dir + "/x")).doesNotExist();
        assertThat(server.destination.resolve(dir + "/z.txt")).exists();
        assertThat(client.delete(FILES + "/" + dir + "/never").status()).isEqualTo(200);
        assertThat(client.delete(FILES + "/" + dir + "/z.txt").status()).isEqualTo(200);
        assertThat(server.destination.resolve(dir + "/z.txt")).doesNotExist();
    }

    @Test
    void missingFilesAndFoldersAre404sNot500s() {
        String dir = unique("");
        client.put(FILES + "/" + dir + "sub/f.txt", "f");
        assertThat(client.get(FILES + "/" + dir + "nope.txt").status()).isEqualTo(404);
        Response folder = client.get(FILES + "/" + dir + "sub");
        assertThat(folder.status()).isEqualTo(404);
        assertThat(folder.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void writesThatCannotBeDoneAre400sAndWriteNothing() {
        String dir = unique("");
        client.put(FILES + "/" + dir + "file.txt", "f");
        TreeSnapshot before = TreeSnapshot.of(server.base);
        Response underFile = client.put(FILES + "/" + dir + "file.txt/under.txt", "x");
        assertThat(underFile.status()).isEqualTo(400);
        assertThat(underFile.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        Response overDir = client.put(FILES + "/" + dir.substring(0, dir.length() - 1), "x");
        assertThat(overDir.status()).isEqualTo(400);
        assertThat(client.put(FILES + "/.", "x").status()).isEqualTo(400);
        assertThat(client.delete(FILES + "/.").status()).as("never the whole root").isEqualTo(400);
        assertThat(client.delete(FILES + "/a/..%2F").status()).isEqualTo(400);
        assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
    }

    @Test
    void uploadsOverTheCapAre413sAndLeaveNothing() {
        TreeSnapshot before = TreeSnapshot.of(server.base);
        Response declared = client.putExpectingContinue(FILES + "/big/declared.bin", 10_000_001);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(declared.message()).contains("10000000").contains("--max-artifact-bytes");
        // Past the cap midway through a chunked body: the server answers 413 and drops the rest; a
        // client still sending may see the connection reset before it reads the answer.
        try {
            Response chunked = client.put(FILES + "/big/chunked.bin", () -> io.mlopscore.artifacts.testing.TestStreams.random(12_000_000, 1), -1);
            assertThat(chunked.status()).isEqualTo(413);
        } catch (java.io.UncheckedIOException reset) {
            assertThat(reset).hasRootCauseInstanceOf(java.io.IOException.class);
        }
        assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
        assertThat(client.put(FILES + "/big/exact.bin", new byte[10_000_000]).status()).as("exactly the cap").isEqualTo(200);
    }

    @Test
    void multipartOnALocalDestinationIsMlflowsNotImplemented() {
        for (String op : new String[] {"create", "complete", "abort"}) {
            String body = op.equals("create") ? "{\"path\":\"/tmp/model.bin\",\"num_parts\":2}"
                    : op.equals("complete") ? "{\"path\":\"model.bin\",\"upload_id\":\"u\",\"parts\":[{\"part_number\":1,\"etag\":\"e\"}]}"
                    : "{\"path\":\"model.bin\",\"upload_id\":\"u\"}";
            for (String prefix : new String[] {"/api/2.0", "/ajax-api/2.0"}) {
                Response r = client.postJson(prefix + "/mlflow-artifacts/mpu/" + op + "/1/run/artifacts", body);
                assertThat(r.status()).as(op).isEqualTo(501);
                assertThat(r.errorCode()).isEqualTo("NOT_IMPLEMENTED");
                assertThat(r.message()).isEqualTo("Multipart upload is not supported for the current artifact repository");
            }
            Response noPath = client.postJson("/api/2.0/mlflow-artifacts/mpu/" + op + "/1/run/artifacts", "{}");
            assertThat(noPath.status()).as("the missing path is reported before the 501").isEqualTo(400);
            assertThat(noPath.message()).startsWith("Missing value for required parameter 'path'.");
        }
        assertThat(server.destination.resolve("1")).doesNotExist();
    }

    @Test
    void wrongMethodsAndUnknownPathsAreJsonErrors() {
        assertThat(client.delete(FILES).status()).isIn(404, 405);
        assertThat(client.get("/api/2.0/mlflow-artifacts/nothing").status()).isEqualTo(404);
    }

    @Test
    void theDestinationIsCreatedByTheFirstWriteNotByReads() throws IOException {
        Path fresh = server.base.resolve("fresh-destination");
        try (ArtifactServer other = ArtifactServer.options().destination(fresh.toString()).start()) {
            assertThat(other.client.get(FILES).status()).isEqualTo(200);
            assertThat(other.client.get(FILES + "/x.txt").status()).isEqualTo(404);
            assertThat(fresh).doesNotExist();
            assertThat(other.client.put(FILES + "/x.txt", "x").status()).isEqualTo(200);
            assertThat(Files.readString(fresh.resolve("x.txt"))).isEqualTo("x");
        }
    }
}
