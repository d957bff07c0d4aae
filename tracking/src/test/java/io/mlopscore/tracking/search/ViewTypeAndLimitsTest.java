package io.mlopscore.tracking.search;

import static io.mlopscore.tracking.search.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.mlopscore.tracking.store.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewTypeAndLimitsTest {

    @Test
    void viewTypesParseFromProtoNamesAndNumbers() {
        assertThat(ViewType.parse("ACTIVE_ONLY")).isEqualTo(ViewType.ACTIVE_ONLY);
        assertThat(ViewType.parse("DELETED_ONLY")).isEqualTo(ViewType.DELETED_ONLY);
        assertThat(ViewType.parse("ALL")).isEqualTo(ViewType.ALL);
        assertThat(ViewType.parse("1")).isEqualTo(ViewType.ACTIVE_ONLY);
        assertThat(ViewType.parse("2")).isEqualTo(ViewType.DELETED_ONLY);
        assertThat(ViewType.parse("3")).isEqualTo(ViewType.ALL);
        assertThat(ViewType.parse(null)).isEqualTo(ViewType.ACTIVE_ONLY);
        assertThat(ViewType.fromNumber(3)).isEqualTo(ViewType.ALL);
        assertThat(ViewType.ALL.lifecycleStages()).containsExactly("active", "deleted");
        assertInvalid(() -> ViewType.parse("active"), "Invalid view type 'active'");
        assertInvalid(() -> ViewType.parse("4"), "Invalid view type");
        assertInvalid(() -> ViewType.fromNumber(0), "Invalid view type 0");
    }

    @Test
    void maxResultsLimits() {
        assertThat(SearchLimits.SEARCH_MAX_RESULTS_DEFAULT).isEqualTo(1000);
        assertThatCode(() -> SearchLimits.checkSearchRuns(0)).doesNotThrowAnyException();
        assertThatCode(() -> SearchLimits.checkSearchRuns(50_000)).doesNotThrowAnyException();
        assertInvalid(() -> SearchLimits.checkSearchRuns(50_001), "Invalid value for request parameter max_results",
                "at most 50000, but got value 50001");
        assertInvalid(() -> SearchLimits.checkSearchRuns(-1), "at least 0");
        assertThatCode(() -> SearchLimits.checkSearchExperiments(1)).doesNotThrowAnyException();
        assertThatCode(() -> SearchLimits.checkSearchExperiments(50_000)).doesNotThrowAnyException();
        assertInvalid(() -> SearchLimits.checkSearchExperiments(0), "It must be a positive integer, but got 0");
        assertInvalid(() -> SearchLimits.checkSearchExperiments(1_000_000), "It must be at most 50000, but got 1000000");
    }

    @Test
    void negativePagingIsRefusedByTheCompilers() {
        assertInvalid(() -> RunSearchSql.compile(List.of("1"), null, ViewType.ALL, null, -1, 0, Dialect.SQLITE), "negative");
        assertInvalid(() -> ExperimentSearchSql.compile(null, ViewType.ALL, null, 1, -1, Dialect.SQLITE), "negative");
    }

    @Test
    void likePatternsPerEngine() {
        assertThat(Dialect.SQLITE.likePattern("a%b_c*d?e[f]")).isEqualTo("a*b?c[*]d[?]e[[]f]");
        assertThat(Dialect.POSTGRESQL.likePattern("a%b_c*d?e[f]\\_")).isEqualTo("a%b_c*d?e[f]\\_");
        assertThat(Dialect.SQLITE.like("t.v", "?")).isEqualTo("t.v GLOB ?");
        assertThat(Dialect.POSTGRESQL.like("t.v", "?")).isEqualTo("t.v LIKE ?");
    }
}
