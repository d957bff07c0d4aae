package io.mlopscore.tracking.search;

import static io.mlopscore.tracking.search.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageTokenTest {

    private static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesAsMlflowDoes() {
        // base64.b64encode(json.dumps({"offset": 100}).encode("utf-8"))
        assertThat(PageToken.encode(100)).isEqualTo("eyJvZmZzZXQiOiAxMDB9");
        assertThat(PageToken.decode(PageToken.encode(100))).isEqualTo(100);
    }

    @Test
    void decodes() {
        assertThat(PageToken.decode(null)).isZero();
        assertThat(PageToken.decode("")).isZero();
        assertThat(PageToken.decode(b64("{\"offset\":7}"))).isEqualTo(7);
        assertThat(PageToken.decode(b64("{\"offset\": \"12\"}"))).isEqualTo(12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"offset\": \"a\"}", "{\"offsoot\": 7}", "not json", "{\"offset\": 0}",
            "{\"offset\": -3}", "[7]", "{\"offset\": 1.5}", "{\"offset\": null}", "{\"offset\": 99999999999}"})
    void refusesBadContent(String json) {
        assertInvalid(() -> PageToken.decode(b64(json)), "Invalid page token");
    }

    @Test
    void refusesWhatIsNotBase64() {
        assertInvalid(() -> PageToken.decode("not base64"), "Invalid page token, could not base64-decode");
    }

    @Test
    void nextTokens() {
        // Runs: a full page gets a token, as in MLflow's SQL store.
        assertThat(PageToken.decode(PageToken.nextForRuns(10, 5, 5))).isEqualTo(15);
        assertThat(PageToken.nextForRuns(10, 5, 4)).isNull();
        // Experiments: fetched max_results + 1; the extra row means another page.
        assertThat(PageToken.decode(PageToken.nextForExperiments(0, 4, 5))).isEqualTo(4);
        assertThat(PageToken.nextForExperiments(0, 4, 4)).isNull();
    }
}
