package io.mlopscore.artifacts;

import static io.mlopscore.artifacts.ArtifactPath.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlopscore.artifacts.MultipartUploads.CompletedPart;
import io.mlopscore.artifacts.MultipartUploads.MultipartUpload;
import io.mlopscore.artifacts.MultipartUploads.PartTarget;
import io.mlopscore.artifacts.testing.S3ProxyServer;
import io.mlopscore.artifacts.testing.TestStreams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 store against a real S3-compatible server (s3proxy, filesystem backend). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ArtifactStoreTest {
    static final String BUCKET = "artifacts";
    S3ProxyServer s3proxy;
    S3Client side;
    S3ArtifactStore store;
    int prefixCounter;

    @BeforeAll
    void start() {
        s3proxy = S3ProxyServer.start();
        s3proxy.createBucket(BUCKET);
        side = s3proxy.client();
        // A neighbour outside every test prefix: it must survive everything.
        side.putObject(b -> b.bucket(BUCKET).key("neighbour/keep.txt"), RequestBody.fromString("keep"));
    }

    @AfterAll
    void stop() {
        if (side != null) {
            assertThat(keys("neighbour/")).containsExactly("neighbour/keep.txt");
            side.close();
        }
        if (s3proxy != null) {
            s3proxy.close();
        }
    }

    /** A store on a fresh prefix, so tests do not see each other's objects. */
    S3ArtifactStore freshStore() {
        String uri = "s3://" + BUCKET + "/run" + (++prefixCounter) + "/artifacts";
        return (S3ArtifactStore) ArtifactStores.open(uri, s3proxy.settings());
    }

    Set<String> keys(String prefix) {
        return side.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesOfKnownLengthReadBackWithChecksum() throws IOException {
        try (S3ArtifactStore s = freshStore()) {
            WriteResult r = s.write(parse("model/weights.bin"), TestStreams.random(3_000_000, 5), 3_000_000);
            assertThat(r.size()).isEqualTo(3_000_000);
            assertThat(r.sha256()).isEqualTo(TestStreams.sha256(TestStreams.random(3_000_000, 5)));
            try (ArtifactContent c = s.open(parse("model/weights.bin"))) {
                assertThat(c.size()).isEqualTo(3_000_000);
                assertThat(TestStreams.sha256(c.stream())).isEqualTo(r.sha256());
            }
            assertThat(keys(s.s3Location().prefix() + "/")).containsExactly(s.s3Location().prefix() + "/model/weights.bin");
        }
    }

    @Test
    void writesOfUnknownLengthGoInPartsWhenLarge() throws IOException {
        try (S3ArtifactStore s = freshStore()) {
            long size = S3ArtifactStore.PART_BYTES * 2L + 12_345;
            WriteResult big = s.write(parse("big.bin"), TestStreams.random(size, 9), -1);
            WriteResult small = s.write(parse("small.txt"), text("hello"), -1);
            assertThat(big.size()).isEqualTo(size);
            try (ArtifactContent c = s.open(parse("big.bin"))) {
                assertThat(c.size()).isEqualTo(size);
                assertThat(TestStreams.sha256(c.stream())).isEqualTo(big.sha256());
            }
            try (ArtifactContent c = s.open(parse("small.txt"))) {
                assertThat(new String(c.stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            }
            assertThat(small.size()).isEqualTo(5);
        }
    }

    @Test
    void aFailedWriteLeavesNoObject() throws IOException {
        try (S3ArtifactStore s = freshStore()) {
            String prefix = s.s3Location().prefix() + "/";
            assertThatThrownBy(() -> s.write(parse("known.bin"), TestStreams.failingAfter(1_000_000), 4_000_000)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> s.write(parse("parts.bin"), TestStreams.failingAfter(S3ArtifactStore.PART_BYTES + 10), -1))
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(() -> s.write(parse("capped.bin"), ArtifactStreams.capped(TestStreams.random(2_000_000, 1), 1000), 2_000_000))
                    .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.TOO_LARGE));
            assertThat(keys(prefix)).isEmpty();
            assertThat(side.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).as("aborted uploads").isEmpty();
        }
    }

    @Test
    void listingsShowImmediateChildrenAndSkipKeysThatAreNotSafePaths() throws IOException {
        try (S3ArtifactStore s = freshStore()) {
            String prefix = s.s3Location().prefix() + "/";
            s.write(parse("a.txt"), text("a"), 1);
            s.write(parse("dir/b.txt"), text("bb"), 2);
            s.write(parse("dir/sub/c.txt"), text("c"), 1);
            side.putObject(b -> b.bucket(BUCKET).key(prefix + "dir/"), RequestBody.empty()); // a folder marker
            side.putObject(b -> b.bucket(BUCKET).key(prefix + "weird#name"), RequestBody.fromString("x"));
            assertThat(s.list(ArtifactPath.root())).containsExactly(ArtifactEntry.file(parse("a.txt"), 1), ArtifactEntry.directory(parse("dir")));
            assertThat(s.list(parse("dir"))).containsExactly(ArtifactEntry.file(parse("dir/b.txt"), 2), ArtifactEntry.directory(parse("dir/sub")));
            assertThat(s.list(parse("missing"))).isEmpty();
            assertThat(s.list(parse("a.txt"))).isEmpty();
            assertThatThrownBy(() -> s.open(parse("missing.txt"))).isInstanceOfSatisfying(ArtifactException.class,
                    e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.NOT_FOUND));
        }
    }

    @Test
    void deletesAreRecursiveAndStayInsideThePrefix() throws IOException {
        try (S3ArtifactStore s = freshStore()) {
            String prefix = s.s3Location().prefix() + "/";
            s.write(parse("d/e/f.txt"), text("f"), 1);
            s.write(parse("d/g.txt"), text("g"), 1);
            s.write(parse("dx.txt"), text("x"), 1); // shares the "d" prefix, but is not under d/
            s.delete(parse("d"));
            s.delete(parse("not/there"));
            assertThat(keys(prefix)).containsExactly(prefix + "dx.txt");
            s.delete(parse("dx.txt"));
            assertThat(keys(prefix)).isEmpty();
            assertThatThrownBy(() -> s.delete(ArtifactPath.root())).isInstanceOf(ArtifactException.class);
        }
    }

    @Test
    void multipartUploadsGoThroughPresignedPartUrls() throws Exception {
        try (S3ArtifactStore s = freshStore()) {
            int partSize = 5 * 1024 * 1024;
            long size = partSize * 2L + 1000;
            MultipartUpload upload = s.create(parse("mpu/model.bin"), 3);
            assertThat(upload.uploadId()).isNotBlank();
            assertThat(upload.parts()).extracting(PartTarget::partNumber).containsExactly(1, 2, 3);
            assertThat(upload.parts().get(0).url()).startsWith(s3proxy.endpoint().toString()).contains("X-Amz-Signature");

            HttpClient http = HttpClient.newHttpClient();
            byte[] all = TestStreams.random(size, 3).readAllBytes();
            List<CompletedPart> done = new ArrayList<>();
            for (PartTarget part : upload.parts()) {
                int from = (part.partNumber() - 1) * partSize;
                int to = (int) Math.min(size, from + (long) partSize);
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(part.url()))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(all, from, to - from)).build(), HttpResponse.BodyHandlers.discarding());
                assertThat(r.statusCode()).isEqualTo(200);
                done.add(new CompletedPart(part.partNumber(), r.headers().firstValue("ETag").orElseThrow()));
            }
            s.complete(parse("mpu/model.bin"), upload.uploadId(), done);
            try (ArtifactContent c = s.open(parse("mpu/model.bin"))) {
                assertThat(c.size()).isEqualTo(size);
                assertThat(TestStreams.sha256(c.stream())).isEqualTo(TestStreams.sha256(new ByteArrayInputStream(all)));
            }
        }
    }

    @Test
    void anAbortedUploadLeavesNothingAndCannotBeCompleted() throws Exception {
        try (S3ArtifactStore s = freshStore()) {
            String prefix = s.s3Location().prefix() + "/";
            MultipartUpload upload = s.create(parse("gone.bin"), 1);
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upload.parts().get(0).url()))
                    .PUT(HttpRequest.BodyPublishers.ofString("part")).build(), HttpResponse.BodyHandlers.discarding());
            String etag = r.headers().firstValue("ETag").orElseThrow();
            s.abort(parse("gone.bin"), upload.uploadId());
            assertThatThrownBy(() -> s.complete(parse("gone.bin"), upload.uploadId(), List.of(new CompletedPart(1, etag))))
                    .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.kind()).isIn(ArtifactException.Kind.NOT_FOUND, ArtifactException.Kind.INVALID));
            assertThat(keys(prefix)).isEmpty();
            assertThat(side.listMultipartUploads(b -> b.bucket(BUCKET).prefix(prefix)).uploads()).isEmpty();
        }
    }

    @Test
    void aWrongPartListIsTheClientsMistake() throws Exception {
        try (S3ArtifactStore s = freshStore()) {
            MultipartUpload upload = s.create(parse("bad.bin"), 1);
            assertThatThrownBy(() -> s.complete(parse("bad.bin"), upload.uploadId(), List.of(new CompletedPart(1, "\"0000\""))))
                    .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.kind()).isIn(ArtifactException.Kind.INVALID, ArtifactException.Kind.NOT_FOUND));
            assertThatThrownBy(() -> s.complete(parse("bad.bin"), upload.uploadId(), List.of())).isInstanceOf(ArtifactException.class);
            assertThatThrownBy(() -> s.create(parse("bad.bin"), 0)).isInstanceOf(ArtifactException.class);
            assertThatThrownBy(() -> s.create(parse("bad.bin"), MultipartUploads.MAX_PARTS + 1)).isInstanceOf(ArtifactException.class);
            s.abort(parse("bad.bin"), upload.uploadId());
            assertThatThrownBy(() -> s.abort(parse("bad.bin"), "no-such-upload")).isInstanceOf(ArtifactException.class);
        }
    }
}
