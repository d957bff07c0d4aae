package io.mlopscore.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.artifacts.testing.TestStreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/** Writes through {@link StagedFile} and reads through {@link LargeFileInputStream}, across block and chunk edges. */
class StagedFileTest {
    static final long[] SIZES = {0, 1, 511, 4095, 4096, 4097, StagedFile.CHUNK - 1, StagedFile.CHUNK, StagedFile.CHUNK + 1, 3L * StagedFile.CHUNK + 17,
            LargeFileInputStream.DIRECT_MIN_BYTES, LargeFileInputStream.DIRECT_MIN_BYTES + 4096, 9L * StagedFile.CHUNK + 1234};

    @TempDir
    Path dir;

    @Test
    void everyLengthIsWrittenExactly() throws IOException {
        check(dir);
    }

    static boolean tmpfsAvailable() {
        return Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"));
    }

    @Test
    @EnabledIf("tmpfsAvailable")
    void tmpfsWorksTooWithDirectIoOrWithout() throws IOException {
        // Older kernels refuse O_DIRECT on tmpfs (the page-cache path); newer ones take it.
        Path shm = Files.createTempDirectory(Path.of("/dev/shm"), "staged-file-test");
        try {
            check(shm);
        } finally {
            try (var files = Files.list(shm)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(shm);
        }
    }

    private static void check(Path folder) throws IOException {
        for (long size : SIZES) {
            Path file = folder.resolve("f" + size);
            MessageDigest md = ArtifactStreams.sha256();
            long written;
            try (StagedFile staged = StagedFile.create(file)) {
                written = staged.copyFrom(TestStreams.random(size, size), md);
            }
            assertThat(written).isEqualTo(size);
            assertThat(Files.size(file)).isEqualTo(size);
            String expected = TestStreams.sha256(TestStreams.random(size, size));
            assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(expected);
            assertThat(TestStreams.sha256(Files.newInputStream(file))).isEqualTo(expected);
            try (ArtifactContent c = LargeFileInputStream.open(file)) {
                assertThat(c.size()).isEqualTo(size);
                assertThat(TestStreams.sha256(c.stream())).as("read back, direct past %d bytes", LargeFileInputStream.DIRECT_MIN_BYTES).isEqualTo(expected);
            }
        }
    }
}
