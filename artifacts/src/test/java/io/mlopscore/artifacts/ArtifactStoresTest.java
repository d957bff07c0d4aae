package io.mlopscore.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArtifactStoresTest {
    @Test
    void localPathsAndFileUrisOpenLocalStores() {
        assertThat(ArtifactStores.localPath("/var/lib/a")).contains(Path.of("/var/lib/a"));
        assertThat(ArtifactStores.localPath("file:///var/lib/a")).contains(Path.of("/var/lib/a"));
        assertThat(ArtifactStores.localPath("file://localhost/var/lib/a")).contains(Path.of("/var/lib/a"));
        assertThat(ArtifactStores.localPath("file:/var/lib/a/../b")).contains(Path.of("/var/lib/b"));
        assertThat(ArtifactStores.localPath("./mlartifacts")).contains(Path.of("mlartifacts").toAbsolutePath());
        assertThat(ArtifactStores.localPath("s3://b/p")).isEmpty();
        assertThat(ArtifactStores.localPath("mlflow-artifacts:/0")).isEmpty();
        try (ArtifactStore s = ArtifactStores.open("file:///tmp/mlops-core-never-created")) {
            assertThat(s).isInstanceOf(LocalArtifactStore.class);
            assertThat(s.location()).isEqualTo("/tmp/mlops-core-never-created");
        }
    }

    @Test
    void fileUrisOnOtherHostsAndOtherSchemesAreRefused() {
        assertThatThrownBy(() -> ArtifactStores.localPath("file://10.0.0.1/etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactStores.localPath("file:relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactStores.open("http://169.254.169.254/latest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unsupported");
        assertThatThrownBy(() -> ArtifactStores.open("gs://bucket/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactStores.open("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void s3UrisSplitIntoBucketAndASafePrefix() {
        S3Location l = S3Location.parse("s3://my_bucket/models/prod/");
        assertThat(l.bucket()).isEqualTo("my_bucket");
        assertThat(l.prefix()).hasToString("models/prod");
        assertThat(l.key(ArtifactPath.parse("a/b.txt"))).isEqualTo("models/prod/a/b.txt");
        assertThat(S3Location.parse("s3://b").key(ArtifactPath.parse("x"))).isEqualTo("x");
        assertThat(S3Location.parse("s3://b").key(ArtifactPath.root())).isEmpty();
        assertThat(l).hasToString("s3://my_bucket/models/prod");
        assertThatThrownBy(() -> S3Location.parse("s3://b/../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Location.parse("s3://b/x#y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3Location.parse("s3:///x")).isInstanceOf(IllegalArgumentException.class);
    }
}
