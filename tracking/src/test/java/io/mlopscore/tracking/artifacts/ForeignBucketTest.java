package io.mlopscore.tracking.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.tracking.testing.Http;
import io.mlopscore.tracking.testing.ServerFixture;
import org.junit.jupiter.api.Test;

/**
 * A model version may name any bucket as its source (MLflow accepts it), but the server reads
 * artifacts with its own credentials: it refuses to follow a source outside its configured roots,
 * quickly and with a 403, instead of trying the credential chain against someone else's bucket.
 */
class ForeignBucketTest {
    @Test
    void aModelVersionInAForeignBucketIsNotReadWithTheServersCredentials() {
        try (ServerFixture fixture = ServerFixture.start("sqlite")) {
            Http http = fixture.http;
            http.api("registered-models/create", Http.obj().put("name", "foreign"));
            http.api("model-versions/create", Http.obj().put("name", "foreign").put("source", "s3://other-bucket/x"));
            long start = System.nanoTime();
            Http.Response r = http.get("/model-versions/get-artifact?name=foreign&version=1&path=MLmodel");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.errorCode()).isEqualTo("PERMISSION_DENIED");
            assertThat(r.json().get("message").asText()).contains("outside the object-store roots");
            assertThat((System.nanoTime() - start) / 1_000_000).as("answered without reaching for S3").isLessThan(2_000);
        }
    }
}
