package io.mlopscore.tracking.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlopscore.common.http.ApiException;
import org.junit.jupiter.api.Test;

/** Parsing models:/ URIs; no store is involved. */
class ModelUriTest {
    @Test
    void theFourFormsParse() {
        assertThat(ModelUri.parse("models:/churn/12")).isEqualTo(new ModelUri("models:/churn/12", ModelUri.Kind.VERSION, "churn", "12", null, null));
        assertThat(ModelUri.parse("models:/churn/Latest").kind()).isEqualTo(ModelUri.Kind.LATEST);
        assertThat(ModelUri.parse("models:/churn/production").stage()).isEqualTo("production");
        ModelUri alias = ModelUri.parse("models:/team@churn@champion");
        assertThat(alias.kind()).isEqualTo(ModelUri.Kind.ALIAS);
        assertThat(alias.name()).isEqualTo("team@churn");
        assertThat(alias.alias()).isEqualTo("champion");
        assertThat(ModelUri.parse("MODELS:/m/1").version()).isEqualTo("1");
        assertThat(ModelUri.parse("models:///m/1").name()).isEqualTo("m");
        assertThat(ModelUri.parse("models:/m/1?x=y").version()).isEqualTo("1");
        assertThat(ModelUri.parse("models://profile@databricks/m/2").version()).isEqualTo("2");
        assertThat(ModelUri.parse("models:/m/1#frag").stage()).isEqualTo("1#frag");
    }

    @Test
    void otherShapesAreNotProperModelUris() {
        for (String bad : new String[] {"models:/", "models:/m", "models:/m/1/2", "models:/m/", "models:/ /x", "models:/m@ ", "model:/m/1",
                "/m/1", "models:m/1", ""}) {
            assertThatThrownBy(() -> ModelUri.parse(bad)).as(bad).isInstanceOf(ApiException.class).hasMessageStartingWith("Not a proper models:/ URI: ");
        }
        assertThatThrownBy(() -> ModelUri.parse(null)).isInstanceOf(ApiException.class);
    }
}
