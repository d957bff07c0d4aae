package io.mlopscore.tracking.search;

import static io.mlopscore.tracking.search.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The search-runs order_by grammar; cases follow MLflow's tests/utils/test_search_utils.py. */
class RunOrderByTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "metrics.x | METRIC | x | true",
            "metrics.x asc | METRIC | x | true",
            "metrics.\"key1\"  desc | METRIC | key1 | false",
            "metric.`Mean Square Error` DESC | METRIC | Mean Square Error | false",
            "metrics.`Mean Square Error` ASC | METRIC | Mean Square Error | true",
            "params.my_param aSc | PARAM | my_param | true",
            "params.`my_param` DESC | PARAM | my_param | false",
            "param.a.b | PARAM | a.b | true",
            "tags.tag1    DESC | TAG | tag1 | false",
            "tag.`mlflow.runName` | TAG | mlflow.runName | true",
            "attributes.status  ASC | ATTRIBUTE | status | true",
            "attribute.run_id | ATTRIBUTE | run_id | true",
            "run_name DESC | ATTRIBUTE | run_name | false",
            "start_time | ATTRIBUTE | start_time | true",
            "attributes.created | ATTRIBUTE | start_time | true",
            "Created DESC | ATTRIBUTE | start_time | false",
            "attr.end_time | ATTRIBUTE | end_time | true",
            "run.user_id desc | ATTRIBUTE | user_id | false",
            "`artifact_uri` | ATTRIBUTE | artifact_uri | true",
    })
    void parses(String orderBy, EntityType type, String key, boolean ascending) {
        assertThat(RunOrderBy.parse(orderBy)).isEqualTo(new RunOrderBy(type, key, ascending));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "m.acc | Invalid entity type 'm'",
            "acc | Invalid attribute key 'acc'",
            "attri.x | Invalid entity type 'attri'",
            "`metrics.A | unterminated backtick",
            "`metrics.A` | Invalid attribute key 'metrics.A'",
            "attribute.start | Invalid attribute key 'start'",
            "attribute.experiment_id | Invalid attribute key 'experiment_id'",
            "attributes.`run name` | Invalid attribute key 'run name'",
            "metrics.A != 1 | Invalid order_by clause 'metrics.A != 1': Could not be parsed",
            "'params.my_param ' | leading or trailing whitespace",
            "' params.my_param' | leading or trailing whitespace",
            "attribute.run_id ACS | Invalid ordering key",
            "attribute.run_id decs | Invalid ordering key",
            "metrics.a DESC NULLS | Could not be parsed",
            "metrics.a, metrics.b | Could not be parsed",
            "datasets.name | Invalid identifier type 'dataset'",
            "DESC metrics.a | Could not be parsed",
    })
    void refuses(String orderBy, String fragment) {
        assertInvalid(() -> RunOrderBy.parse(orderBy), fragment);
    }

    @Test
    void emptyClauseIsRefused() {
        assertInvalid(() -> RunOrderBy.parse(""), "Invalid order_by clause");
        assertInvalid(() -> RunOrderBy.parse(null), "Invalid order_by clause");
    }

    @Test
    void parseAllKeepsOrderAndRefusesDuplicates() {
        assertThat(RunOrderBy.parseAll(null)).isEmpty();
        assertThat(RunOrderBy.parseAll(List.of("metrics.a DESC", "params.a"))).containsExactly(
                new RunOrderBy(EntityType.METRIC, "a", false), new RunOrderBy(EntityType.PARAM, "a", true));
        assertInvalid(() -> RunOrderBy.parseAll(List.of("metrics.a", "metric.a DESC")), "`order_by` contains duplicate fields");
        assertInvalid(() -> RunOrderBy.parseAll(List.of("created", "attributes.start_time")), "duplicate fields");
    }
}
