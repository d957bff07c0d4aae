package io.mlopscore.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathTest {
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "path | path",
            "path/ | path",
            "path/to/file | path/to/file",
            ". | \"\"",
            "a/./b | a/b",
            "a//b | a/b",
            "..../x | ..../x",
            "...  | ...",
            "a..b/c.. | a..b/c..",
            "dir/x%20y.txt | dir/x y.txt",
            "a+b.txt | a+b.txt",
            "dir/a:b | dir/a:b",
            "100% | 100%",
            "%zz | %zz",
            "m%C3%BCller/%D1%84.txt | müller/ф.txt",
            "MLmodel | MLmodel",
    })
    void plainRelativePathsAreKeptAfterDecoding(String requested, String expected) {
        assertThat(ArtifactPath.parse(requested).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            // '..' in every spelling
            "..", "../path", "../../path", "./../path", "path/../to/file", "a/..", "a/../", "a/b/../../..",
            "..%2fx", "%2e%2e%2fx", "%2E%2E%2Fx", "%2e%2e/x", ".%2e/x", "x/%2e%2e", "..%2F..%2Fetc%2Fpasswd",
            "%252e%252e%252fx", "%25252e%25252e%25252fx", "..%252fx", "a%2f..%2f..%2fb",
            // absolute and UNC
            "/path", "/etc/passwd", "//etc/passwd", "%2fetc%2fpasswd", "%252fetc", "//server/share/x",
            // backslashes (Windows separators)
            "..\\x", "a\\..\\b", "\\etc\\passwd", "%5c..%5cx", "a%5cb", "%255c..%255cx",
            // drive letters and URI schemes
            "C:/x", "c:x", "C:..\\x", "C:%2f..%2fx", "file:///etc/passwd", "file:/etc/passwd", "file%3A%2F%2F%2Fetc%2Fpasswd",
            "s3://bucket/key", "http://169.254.169.254/latest", "mlflow-artifacts:/x", "runs:/abc/model",
            // fragments and queries, which hid traversal from earlier checks
            "a#b", "a%23b", "a%2523b", "#/../x", "a?b", "a%3Fb", "x%3F/../../y", "?/../../etc",
            // control characters and NUL
            "a\u0000b", "a%00b", "a%2500b", "a\tb", "a%09b", "a%0Ab", "a%0D%0Ab", "a%7Fb", "a%C2%85b",
            // percent-escapes that are not UTF-8 (an overlong '.')
            "%C0%AE%C0%AE/x", "%ff", "%e0%80%ae",
    })
    void everyTraversalFormIsRefused(String requested) {
        assertThatThrownBy(() -> ArtifactPath.parse(requested))
                .isInstanceOf(InvalidArtifactPathException.class)
                .hasMessage("Invalid path");
    }

    @Test
    void decodingStopsAfterTenRounds() {
        String encoded = "a";
        for (int k = 1; k <= 9; k++) {
            encoded = encoded.equals("a") ? "%61" : encoded.replace("%", "%25");
        }
        assertThat(ArtifactPath.parse(encoded).toString()).as("9 levels of encoding").isEqualTo("a");
        String tenLevels = encoded.replace("%", "%25");
        assertThatThrownBy(() -> ArtifactPath.parse(tenLevels))
                .isInstanceOfSatisfying(InvalidArtifactPathException.class, e -> assertThat(e.reason()).contains("10 decoding rounds"));
    }

    @Test
    void emptyAndNullAreTheRoot() {
        assertThat(ArtifactPath.parse(null).isRoot()).isTrue();
        assertThat(ArtifactPath.parse("").isRoot()).isTrue();
        assertThat(ArtifactPath.parse("./").isRoot()).isTrue();
        assertThat(ArtifactPath.root().toString()).isEmpty();
    }

    @Test
    void overLongNamesAndPathsAreRefused() {
        assertThat(ArtifactPath.parse("x".repeat(255)).name()).hasSize(255);
        assertThatThrownBy(() -> ArtifactPath.parse("x".repeat(256))).isInstanceOf(InvalidArtifactPathException.class);
        String deep = ("d".repeat(100) + "/").repeat(11);
        assertThatThrownBy(() -> ArtifactPath.parse(deep)).isInstanceOf(InvalidArtifactPathException.class);
        assertThatThrownBy(() -> ArtifactPath.parse("%".repeat(20_000))).isInstanceOf(InvalidArtifactPathException.class);
    }

    @Test
    void partsComposeWithoutLeavingTheTree() {
        ArtifactPath p = ArtifactPath.parse("models/m1/model.pkl");
        assertThat(p.segments()).containsExactly("models", "m1", "model.pkl");
        assertThat(p.name()).isEqualTo("model.pkl");
        assertThat(p.parent()).isEqualTo(ArtifactPath.parse("models/m1"));
        assertThat(ArtifactPath.root().parent().isRoot()).isTrue();
        assertThat(ArtifactPath.parse("a").resolve(ArtifactPath.parse("b/c"))).hasToString("a/b/c");
        assertThat(ArtifactPath.parse("a/b").startsWith(ArtifactPath.parse("a"))).isTrue();
        assertThat(ArtifactPath.parse("ab").startsWith(ArtifactPath.parse("a"))).isFalse();
        assertThat(ArtifactPath.parse("a").relativize(ArtifactPath.parse("a/b/c"))).hasToString("b/c");
        assertThat(ArtifactPath.parse("a").relativize(ArtifactPath.parse("b"))).isNull();
        assertThat(List.of(ArtifactPath.parse("b"), ArtifactPath.parse("a"))).isSortedAccordingTo((x, y) -> -x.compareTo(y));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "a#b", "a?b", "a\u0000b", "a\nb"})
    void listedNamesMustBeSingleSafeSegments(String name) {
        assertThatThrownBy(() -> ArtifactPath.root().child(name)).isInstanceOf(InvalidArtifactPathException.class);
    }

    @Test
    void listedNamesAreNeverDecoded() {
        assertThat(ArtifactPath.root().child("%2e%2e").name()).isEqualTo("%2e%2e");
        assertThat(ArtifactPath.parse("dir").child("a b").toString()).isEqualTo("dir/a b");
    }
}
