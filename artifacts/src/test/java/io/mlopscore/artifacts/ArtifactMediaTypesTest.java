package io.mlopscore.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArtifactMediaTypesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "a.txt, text/plain", "run.log, text/plain", "MLmodel, text/plain", "mlproject, text/plain",
            "conda.yaml, text/plain", "params.json, text/plain", "train.py, text/plain", "data.csv, text/plain",
            "README.md, text/plain", "A.TXT, text/plain", "txt, text/plain",
            "plot.png, image/png", "photo.JPG, image/jpeg", "report.pdf, application/pdf", "page.html, text/html",
            "model.pkl, application/octet-stream", "weights.bin, application/octet-stream", "Makefile, application/octet-stream",
            "model.tar.gz, application/x-tar", "x.gz, application/octet-stream", "a.tgz, application/x-tar",
            "archive.zip, application/zip", "model.onnx, application/octet-stream",
    })
    void typesFollowMlflowsFileNameRule(String name, String type) {
        assertThat(ArtifactMediaTypes.of(name)).isEqualTo(type);
    }
}
