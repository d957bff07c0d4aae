package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.artifacts.testing.TestStreams;
import io.mlopscore.artifacts.testing.TreeSnapshot;
import io.mlopscore.tracking.artifacts.ArtifactClient.Download;
import io.mlopscore.tracking.artifacts.ArtifactClient.Response;
import io.mlopscore.tracking.testing.Backend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Artifacts stream: a 200 MB file goes up and down through the proxy of a server whose whole heap
 * is 64 MB (a buffered body could not fit), and an upload cut off midway leaves nothing behind.
 */
class LargeArtifactStreamingTest {
    static final String FILES = "/api/2.0/mlflow-artifacts/artifacts";

    @Test
    void twoHundredMegabytesRoundTripThroughAServerWithA64MegabyteHeap() throws Exception {
        try (Backend backend = Backend.sqlite()) {
            Path destination = Files.createTempDirectory("mlops-core-large");
            Path gcLog = destination.resolveSibling(destination.getFileName() + "-gc.log");
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-Xlog:gc:file=" + gcLog, "-cp", classpath, ChildTrackingServer.class.getName(), backend.uri(), destination.toString()));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                int port = awaitPort(child);
                ArtifactClient client = new ArtifactClient("http://127.0.0.1:" + port);
                long size = 200L * 1024 * 1024;
                String expected = TestStreams.sha256(TestStreams.random(size, 42));

                Response put = client.put(FILES + "/big/model.bin", () -> TestStreams.random(size, 42), size);
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
                assertThat(put.header("x-artifact-sha256")).isEqualTo(expected);
                assertThat(Files.size(destination.resolve("big/model.bin"))).isEqualTo(size);

                Download down = client.download(FILES + "/big/model.bin");
                assertThat(down.status()).isEqualTo(200);
                assertThat(down.headers().get("content-length")).containsExactly(Long.toString(size));
                assertThat(down.size()).isEqualTo(size);
                assertThat(down.sha256()).isEqualTo(expected);
                assertThat(child.isAlive()).as("the 64 MB server survived").isTrue();
            } finally {
                child.getOutputStream().close();
                if (!child.waitFor(15, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                try (var paths = Files.walk(destination)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
                Files.deleteIfExists(gcLog);
            }
        }
    }

    private static int awaitPort(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ignored) {
                        // the child is gone
                    }
                }, "child-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(line.substring(5).trim());
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("The child server exited before listening:\n" + seen);
    }

    @Test
    void anUploadCutOffMidwayLeavesNothing() throws Exception {
        try (ArtifactServer server = ArtifactServer.options().start()) {
            server.client.put(FILES + "/keep/existing.bin", "existing");
            TreeSnapshot before = TreeSnapshot.of(server.base);
            cutOff(server, "PUT " + FILES + "/cut/declared.bin HTTP/1.1\r\nContent-Length: 50000000\r\n", 5_000_000, false);
            cutOff(server, "PUT " + FILES + "/cut/chunked.bin HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", 5_000_000, true);
            cutOff(server, "PUT " + FILES + "/keep/existing.bin HTTP/1.1\r\nContent-Length: 9000000\r\n", 1_000_000, false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!TreeSnapshot.of(server.base).equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(100); // the server notices the dropped connection on its next read
            }
            assertThat(TreeSnapshot.of(server.base)).isEqualTo(before);
            assertThat(server.client.get(FILES + "/keep/existing.bin").text()).isEqualTo("existing");
            assertThat(server.client.get(FILES + "?path=cut").text()).isEqualTo("{}");
        }
    }

    /** Sends a request head and part of its body, then drops the connection with a reset. */
    private static void cutOff(ArtifactServer server, String head, int bodyBytes, boolean chunked) throws IOException {
        java.net.URI u = java.net.URI.create(server.url());
        try (Socket s = new Socket(u.getHost(), u.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write((head + "Host: x\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            for (int sent = 0; sent < bodyBytes; sent += chunk.length) {
                if (chunked) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write(chunk);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            out.flush();
            s.setSoLinger(true, 0); // close with RST, as a killed client does
        }
    }
}
