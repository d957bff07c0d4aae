package io.mlopscore.artifacts;

import static io.mlopscore.artifacts.ArtifactPath.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlopscore.artifacts.testing.TestStreams;
import io.mlopscore.artifacts.testing.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {
    @TempDir
    Path tmp;
    Path root;
    Path outside;
    LocalArtifactStore store;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("root");
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        store = new LocalArtifactStore(root);
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private String read(String path) throws IOException {
        try (ArtifactContent c = store.open(parse(path))) {
            return new String(c.stream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void writesReadBackWithSizeAndChecksum() throws IOException {
        WriteResult r = store.write(parse("a/b/c.bin"), TestStreams.random(1_000_000, 1), 1_000_000);
        assertThat(r.size()).isEqualTo(1_000_000);
        assertThat(r.sha256()).isEqualTo(TestStreams.sha256(TestStreams.random(1_000_000, 1)));
        try (ArtifactContent c = store.open(parse("a/b/c.bin"))) {
            assertThat(c.size()).isEqualTo(1_000_000);
            assertThat(TestStreams.sha256(c.stream())).isEqualTo(r.sha256());
        }
        store.write(parse("a/b/c.bin"), text("replaced"), -1);
        assertThat(read("a/b/c.bin")).isEqualTo("replaced");
    }

    @Test
    void listingsShowImmediateChildrenSortedWithSizesForFilesOnly() throws IOException {
        store.write(parse("dir/b.txt"), text("b"), 1);
        store.write(parse("a.txt"), text("a"), 1);
        store.write(parse("dir/sub/c.txt"), text("cc"), 2);
        assertThat(store.list(ArtifactPath.root())).containsExactly(
                ArtifactEntry.file(parse("a.txt"), 1), ArtifactEntry.directory(parse("dir")));
        assertThat(store.list(parse("dir"))).containsExactly(
                ArtifactEntry.file(parse("dir/b.txt"), 1), ArtifactEntry.directory(parse("dir/sub")));
        assertThat(store.list(parse("missing"))).isEmpty();
        assertThat(store.list(parse("a.txt"))).as("a file lists as empty").isEmpty();
    }

    @Test
    void readsAndListingsOfAMissingRootCreateNothing() throws IOException {
        assertThat(store.list(ArtifactPath.root())).isEmpty();
        assertThatThrownBy(() -> store.open(parse("x"))).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.NOT_FOUND));
        store.delete(parse("x"));
        assertThat(root).doesNotExist();
    }

    @Test
    void aFolderIsNotAFile() throws IOException {
        store.write(parse("dir/f.txt"), text("f"), 1);
        assertThatThrownBy(() -> store.open(parse("dir"))).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> store.open(ArtifactPath.root())).isInstanceOf(ArtifactException.class);
        assertThatThrownBy(() -> store.write(parse("dir"), text("x"), 1)).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.CONFLICT));
        assertThatThrownBy(() -> store.write(parse("dir/f.txt/under"), text("x"), 1)).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.CONFLICT));
        assertThat(read("dir/f.txt")).isEqualTo("f");
    }

    @Test
    void aWriteThatFailsMidwayLeavesNothingNotEvenItsFolders() throws IOException {
        store.write(parse("keep.txt"), text("keep"), 4);
        TreeSnapshot before = TreeSnapshot.of(tmp);
        assertThatThrownBy(() -> store.write(parse("new/deep/big.bin"), TestStreams.failingAfter(3_000_000), 10_000_000))
                .isInstanceOf(IOException.class).hasMessageContaining("simulated");
        assertThatThrownBy(() -> store.write(parse("keep.txt"), TestStreams.failingAfter(100), -1))
                .isInstanceOf(IOException.class);
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
        assertThat(read("keep.txt")).isEqualTo("keep");
    }

    @Test
    void aFailedFirstWriteRemovesTheRootItCreated() {
        assertThatThrownBy(() -> store.write(parse("a/b.bin"), TestStreams.failingAfter(10), -1)).isInstanceOf(IOException.class);
        assertThat(root).doesNotExist();
    }

    @Test
    void aStreamShorterThanAnnouncedIsRefused() throws IOException {
        assertThatThrownBy(() -> store.write(parse("short.bin"), TestStreams.random(10, 1), 11)).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.INVALID));
        assertThat(store.list(ArtifactPath.root())).isEmpty();
    }

    @Test
    void theSizeCapStopsAWriteAndLeavesNothing() throws IOException {
        Files.createDirectories(root);
        assertThatThrownBy(() -> store.write(parse("big.bin"), ArtifactStreams.capped(TestStreams.random(5_000_000, 1), 1_000_000), -1))
                .isInstanceOfSatisfying(ArtifactException.class, e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.TOO_LARGE));
        try (var files = Files.list(root)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aLinkInsideTheRootPointingOutsideLeadsNowhere() throws IOException {
        store.write(parse("inside.txt"), text("in"), 2);
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("secret-link.txt"), outside.resolve("secret.txt"));
        TreeSnapshot before = TreeSnapshot.of(outside);

        assertThat(store.list(ArtifactPath.root())).extracting(ArtifactEntry::name).containsExactly("inside.txt");
        for (String p : List.of("escape/secret.txt", "secret-link.txt")) {
            assertThatThrownBy(() -> store.open(parse(p))).isInstanceOfSatisfying(ArtifactException.class,
                    e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.OUTSIDE_ROOT));
        }
        assertThatThrownBy(() -> store.list(parse("escape"))).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.OUTSIDE_ROOT));
        assertThatThrownBy(() -> store.write(parse("escape/planted.txt"), text("x"), 1)).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.OUTSIDE_ROOT));
        assertThatThrownBy(() -> store.delete(parse("escape/secret.txt"))).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.OUTSIDE_ROOT));
        assertThat(TreeSnapshot.of(outside)).isEqualTo(before);

        // Overwriting the link replaces the link, never the file it points at.
        store.write(parse("secret-link.txt"), text("new"), 3);
        assertThat(Files.isSymbolicLink(root.resolve("secret-link.txt"))).isFalse();
        // Deleting a link removes the link only.
        store.delete(parse("escape"));
        assertThat(root.resolve("escape")).doesNotExist();
        assertThat(TreeSnapshot.of(outside)).isEqualTo(before);
    }

    @Test
    void aLinkThatStaysInsideTheRootWorks() throws IOException {
        store.write(parse("real/f.txt"), text("f"), 1);
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
        assertThat(read("alias/f.txt")).isEqualTo("f");
        assertThat(store.list(ArtifactPath.root())).extracting(ArtifactEntry::name, ArtifactEntry::directory)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alias", true), org.assertj.core.groups.Tuple.tuple("real", true));
        store.write(parse("alias/g.txt"), text("g"), 1);
        assertThat(read("real/g.txt")).isEqualTo("g");
    }

    @Test
    void theRootItselfMayBeALink() throws IOException {
        Path realRoot = Files.createDirectories(tmp.resolve("real-root"));
        Path linkRoot = Files.createSymbolicLink(tmp.resolve("link-root"), realRoot);
        LocalArtifactStore linked = new LocalArtifactStore(linkRoot);
        linked.write(parse("x.txt"), text("x"), 1);
        assertThat(realRoot.resolve("x.txt")).hasContent("x");
        assertThat(linked.list(ArtifactPath.root())).hasSize(1);
    }

    @Test
    void deletesAreRecursiveMissingPathsAreNoOpsAndTheRootIsRefused() throws IOException {
        store.write(parse("d/e/f.txt"), text("f"), 1);
        store.write(parse("d/g.txt"), text("g"), 1);
        store.write(parse("h.txt"), text("h"), 1);
        store.delete(parse("d"));
        store.delete(parse("nothing/here"));
        store.delete(parse("h.txt/under"));
        assertThat(store.list(ArtifactPath.root())).extracting(ArtifactEntry::name).containsExactly("h.txt");
        store.delete(parse("h.txt"));
        assertThat(store.list(ArtifactPath.root())).isEmpty();
        assertThatThrownBy(() -> store.delete(ArtifactPath.root())).isInstanceOfSatisfying(ArtifactException.class,
                e -> assertThat(e.kind()).isEqualTo(ArtifactException.Kind.INVALID));
        assertThat(root).exists();
    }

    @Test
    void uploadsInProgressAreHiddenAndTheirNamesReserved() throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve(LocalArtifactStore.UPLOAD_PREFIX + "123"), "partial");
        assertThat(store.list(ArtifactPath.root())).isEmpty();
        assertThatThrownBy(() -> store.open(parse(LocalArtifactStore.UPLOAD_PREFIX + "123"))).isInstanceOf(ArtifactException.class);
        assertThatThrownBy(() -> store.write(parse(LocalArtifactStore.UPLOAD_PREFIX + "9"), text("x"), 1)).isInstanceOf(ArtifactException.class);
        store.write(parse("done.txt"), text("d"), 1);
        assertThat(root.resolve(LocalArtifactStore.STAGING)).isDirectory();
        assertThat(store.list(ArtifactPath.root())).extracting(ArtifactEntry::name).containsExactly("done.txt");
        assertThat(store.list(parse(LocalArtifactStore.STAGING))).isEmpty();
        assertThatThrownBy(() -> store.delete(parse(LocalArtifactStore.STAGING))).isInstanceOf(ArtifactException.class);
    }

    @Test
    void concurrentUploadsThatFailIntoANewFolderLeaveNoFolder() throws Exception {
        store.write(parse("keep.txt"), text("k"), 1);
        TreeSnapshot before = TreeSnapshot.of(tmp);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> runs = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                runs.add(pool.submit(() -> store.write(parse("shared/new/f" + n + ".bin"), TestStreams.failingAfter(200_000L * (n + 1)), -1)));
            }
            for (var r : runs) {
                assertThatThrownBy(r::get).hasCauseInstanceOf(IOException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(TreeSnapshot.of(tmp)).isEqualTo(before);
    }

    @Test
    void namesNoRequestCouldAddressAreNotListed() throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("back\\slash"), "x");
        Files.writeString(root.resolve("ok.txt"), "x");
        assertThat(store.list(ArtifactPath.root())).extracting(ArtifactEntry::name).containsExactly("ok.txt");
    }

    @Test
    void aLocalFolderHasNoMultipartUploads() {
        assertThat(store.multipart()).isEmpty();
        assertThat(Files.exists(root, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
