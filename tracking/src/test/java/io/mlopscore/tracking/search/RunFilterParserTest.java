package io.mlopscore.tracking.search;

import static io.mlopscore.tracking.search.Comparator.EQUALS;
import static io.mlopscore.tracking.search.Comparator.GREATER_THAN;
import static io.mlopscore.tracking.search.Comparator.GREATER_THAN_OR_EQUALS;
import static io.mlopscore.tracking.search.Comparator.ILIKE;
import static io.mlopscore.tracking.search.Comparator.IN;
import static io.mlopscore.tracking.search.Comparator.LESS_THAN;
import static io.mlopscore.tracking.search.Comparator.LIKE;
import static io.mlopscore.tracking.search.Comparator.NOT_EQUALS;
import static io.mlopscore.tracking.search.Comparator.NOT_IN;
import static io.mlopscore.tracking.search.EntityType.ATTRIBUTE;
import static io.mlopscore.tracking.search.EntityType.DATASET;
import static io.mlopscore.tracking.search.EntityType.METRIC;
import static io.mlopscore.tracking.search.EntityType.PARAM;
import static io.mlopscore.tracking.search.EntityType.TAG;
import static io.mlopscore.tracking.search.FilterValue.list;
import static io.mlopscore.tracking.search.FilterValue.number;
import static io.mlopscore.tracking.search.FilterValue.text;
import static io.mlopscore.tracking.search.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The search-runs filter grammar; cases follow MLflow's tests/utils/test_search_utils.py. */
class RunFilterParserTest {

    static Stream<Arguments> validFilters() {
        return Stream.of(
                parsed("metric.acc >= 0.94", clause(METRIC, "acc", GREATER_THAN_OR_EQUALS, number("0.94"))),
                parsed("metric.acc>=100", clause(METRIC, "acc", GREATER_THAN_OR_EQUALS, number("100"))),
                parsed("params.m!='tf'", clause(PARAM, "m", NOT_EQUALS, text("tf"))),
                parsed("params.\"m\"!=\"tf\"", clause(PARAM, "m", NOT_EQUALS, text("tf"))),
                parsed("metric.\"legit name\" >= 0.243", clause(METRIC, "legit name", GREATER_THAN_OR_EQUALS, number("0.243"))),
                parsed("metrics.XYZ = 3", clause(METRIC, "XYZ", EQUALS, number("3"))),
                parsed("params.\"cat dog\" = \"pets\"", clause(PARAM, "cat dog", EQUALS, text("pets"))),
                parsed("metrics.\"X-Y-Z\" = 3", clause(METRIC, "X-Y-Z", EQUALS, number("3"))),
                parsed("metrics.\"X//Y#$$@&Z\" = 3", clause(METRIC, "X//Y#$$@&Z", EQUALS, number("3"))),
                parsed("params.model = 'LinearRegression'", clause(PARAM, "model", EQUALS, text("LinearRegression"))),
                parsed("metrics.rmse < 1 and params.model_class = 'LR'",
                        clause(METRIC, "rmse", LESS_THAN, number("1")), clause(PARAM, "model_class", EQUALS, text("LR"))),
                parsed("`metric`.a >= 0.1", clause(METRIC, "a", GREATER_THAN_OR_EQUALS, number("0.1"))),
                parsed("`params`.model = 'LR'", clause(PARAM, "model", EQUALS, text("LR"))),
                parsed("param.a = 'x'", clause(PARAM, "a", EQUALS, text("x"))),
                parsed("parameter.a = 'x'", clause(PARAM, "a", EQUALS, text("x"))),
                parsed("parameters.a = 'x'", clause(PARAM, "a", EQUALS, text("x"))),
                parsed("tags.version = 'commit-hash'", clause(TAG, "version", EQUALS, text("commit-hash"))),
                parsed("`tags`.source_name = 'a notebook'", clause(TAG, "source_name", EQUALS, text("a notebook"))),
                parsed("tag.t = 'x'", clause(TAG, "t", EQUALS, text("x"))),
                parsed("metrics.\"accuracy.2.0\" > 5", clause(METRIC, "accuracy.2.0", GREATER_THAN, number("5"))),
                parsed("metrics.`spacey name` > 5", clause(METRIC, "spacey name", GREATER_THAN, number("5"))),
                parsed("params.\"p.a.r.a.m\" != \"a\"", clause(PARAM, "p.a.r.a.m", NOT_EQUALS, text("a"))),
                parsed("tags.\"t.a.g\" = \"a\"", clause(TAG, "t.a.g", EQUALS, text("a"))),
                parsed("tags.mlflow.source.type = 'LOCAL'", clause(TAG, "mlflow.source.type", EQUALS, text("LOCAL"))),
                parsed("metrics.1st_loss < 2", clause(METRIC, "1st_loss", LESS_THAN, number("2"))),
                parsed("attribute.artifact_uri = '1/23/4'", clause(ATTRIBUTE, "artifact_uri", EQUALS, text("1/23/4"))),
                parsed("attribute.start_time >= 1234", clause(ATTRIBUTE, "start_time", GREATER_THAN_OR_EQUALS, number("1234"))),
                parsed("run.status = 'RUNNING'", clause(ATTRIBUTE, "status", EQUALS, text("RUNNING"))),
                parsed("attr.user_id = 'u'", clause(ATTRIBUTE, "user_id", EQUALS, text("u"))),
                parsed("attributes.end_time < 5", clause(ATTRIBUTE, "end_time", LESS_THAN, number("5"))),
                parsed("status = 'FAILED'", clause(ATTRIBUTE, "status", EQUALS, text("FAILED"))),
                parsed("`start_time` > 1", clause(ATTRIBUTE, "start_time", GREATER_THAN, number("1"))),
                parsed("created > 5", clause(ATTRIBUTE, "start_time", GREATER_THAN, number("5"))),
                parsed("attributes.Created > 5", clause(ATTRIBUTE, "start_time", GREATER_THAN, number("5"))),
                parsed("attributes.`Run name` = 'x'", clause(ATTRIBUTE, "run_name", EQUALS, text("x"))),
                parsed("\"run name\" = 'x'", clause(ATTRIBUTE, "run_name", EQUALS, text("x"))),
                parsed("attributes.\"Run Name\" LIKE 'x%'", clause(ATTRIBUTE, "run_name", LIKE, text("x%"))),
                parsed("run_name ilike '%X'", clause(ATTRIBUTE, "run_name", ILIKE, text("%X"))),
                parsed("dataset.name = 'my_dataset'", clause(DATASET, "name", EQUALS, text("my_dataset"))),
                parsed("datasets.digest IN ('a', 'b')", clause(DATASET, "digest", IN, list("a", "b"))),
                parsed("datasets.context not in ('train')", clause(DATASET, "context", NOT_IN, list("train"))),
                parsed("datasets.name IN ('MyData')", clause(DATASET, "name", IN, list("MyData"))),
                parsed("attributes.run_id in ('a1','b2')", clause(ATTRIBUTE, "run_id", IN, list("a1", "b2"))),
                parsed("run_id NOT   IN ('a1')", clause(ATTRIBUTE, "run_id", NOT_IN, list("a1"))),
                // MLflow drops listed run ids that are not lower case
                parsed("run_id IN ('abc', 'ABC', '123', 'aB')", clause(ATTRIBUTE, "run_id", IN, list("abc"))),
                parsed("params.x like 'a%'", clause(PARAM, "x", LIKE, text("a%"))),
                parsed("tags.t ILike '%B'", clause(TAG, "t", ILIKE, text("%B"))),
                parsed("metrics.a > -1", clause(METRIC, "a", GREATER_THAN, number("-1"))),
                parsed("metrics.a > 1.5e3", clause(METRIC, "a", GREATER_THAN, number("1.5e3"))),
                parsed("metrics.a > .5", clause(METRIC, "a", GREATER_THAN, number(".5"))),
                parsed("metrics.a > 2.", clause(METRIC, "a", GREATER_THAN, number("2."))),
                parsed("metrics.a > -0.25E-2", clause(METRIC, "a", GREATER_THAN, number("-0.25E-2"))),
                parsed("params.m = \"L'Hosp\"", clause(PARAM, "m", EQUALS, text("L'Hosp"))),
                parsed("params.m = 'it''s'", clause(PARAM, "m", EQUALS, text("it''s"))), // kept as written, as MLflow does
                parsed("params.m = 'a\\'b'", clause(PARAM, "m", EQUALS, text("a\\'b"))),
                parsed("params.m = ''", clause(PARAM, "m", EQUALS, text(""))),
                parsed("params.m = 'AND OR ()'", clause(PARAM, "m", EQUALS, text("AND OR ()"))),
                parsed("\tmetrics.a\n>\n1\r\nAND params.b='x'  ",
                        clause(METRIC, "a", GREATER_THAN, number("1")), clause(PARAM, "b", EQUALS, text("x"))),
                // stray ANDs are tolerated, as in MLflow
                parsed("AND metrics.a > 1 AND and params.b = 'x' AND",
                        clause(METRIC, "a", GREATER_THAN, number("1")), clause(PARAM, "b", EQUALS, text("x"))),
                parsed("tags.in = 'x'", clause(TAG, "in", EQUALS, text("x"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFilters")
    void parses(String filter, List<RunClause> expected) {
        assertThat(RunFilterParser.parse(filter)).isEqualTo(expected);
    }

    @Test
    void emptyFilters() {
        assertThat(RunFilterParser.parse(null)).isEmpty();
        assertThat(RunFilterParser.parse("")).isEmpty();
        assertThat(RunFilterParser.parse("  \n ")).isEmpty();
    }

    static Stream<Arguments> invalidFilters() {
        return Stream.of(
                refused("metric.acc >= 0.94; metrics.rmse < 1", "unexpected character ';'", "position 18"),
                refused("m.acc >= 0.94", "Invalid entity type 'm'"),
                refused("p.model >= 'LR'", "Invalid entity type 'p'"),
                refused("Metrics.a > 1", "Invalid entity type 'Metrics'"),
                refused("\"metric\".a > 1", "Invalid entity type '\"metric\"'"),
                refused("acc >= 0.94", "Invalid attribute key 'acc'", "position 0"),
                refused("model >= 'LR'", "Invalid attribute key 'model'"),
                refused("attri.x != 1", "Invalid entity type 'attri'"),
                refused("metrics.A > 0.1 OR params.B = 'LR'", "Invalid clause(s) in filter string", "OR is not supported",
                        "position 16, 'OR'"),
                refused("metrics.A > 0.1 or params.B = 'LR'", "OR is not supported"),
                refused("OR metrics.A > 0.1", "OR is not supported", "position 0"),
                refused("metrics.A > 0.1 NAND params.B = 'LR'", "Invalid clause(s) in filter string", "expected AND",
                        "'NAND'"),
                refused("metrics.A > 0.1 AND (params.B = 'LR')", "parentheses are only allowed", "position 20"),
                refused("metrics.a > 1 params.b = 'x'", "expected AND", "position 14"),
                refused("`metrics.A > 0.1", "unterminated backtick"),
                refused("param`.A > 0.1", "unterminated backtick", "position 5"),
                refused("attribute.start != 1", "Invalid attribute key 'start'"),
                refused("attribute.experiment_id != 1", "Invalid attribute key 'experiment_id'"),
                refused("attribute.lifecycle_stage = 'ACTIVE'", "Invalid attribute key 'lifecycle_stage'"),
                refused("attribute.name != 1", "Invalid attribute key 'name'"),
                refused("attribute.time != 1", "Invalid attribute key 'time'"),
                refused("attribute._status != 'RUNNING'", "Invalid attribute key '_status'"),
                refused("attribute.status = true", "not quoted", "true"),
                refused("dataset.status = 'true'", "Invalid dataset key 'status'"),
                refused("dataset.profile = 'num_rows: 10'", "Invalid dataset key 'profile'"),
                refused("metric.model = 'LR'", "Expected numeric value type for metric 'model'. Found 'LR'"),
                refused("metric.model = '5'", "Expected numeric value type for metric"),
                refused("params.acc = 5", "Expected a quoted string value for parameter 'acc'", "Got value 5"),
                refused("tags.acc = 5", "Expected a quoted string value for tag 'acc'"),
                refused("metrics.acc != metrics.acc", "Expected numeric value type for metric", "Found metrics.acc"),
                refused("1.0 > metrics.acc", "expected an identifier", "position 0, '1.0'"),
                refused("1=1", "expected an identifier"),
                refused("attribute.status = 1", "Expected a quoted string value for attribute 'status'"),
                refused("attributes.start_time = '1'", "Expected numeric value type for attribute 'start_time'"),
                refused("params.acc = LR", "value is either not quoted or unidentified quote types", "position 13"),
                refused("tags.acc = LR", "value is either not quoted"),
                refused("params.acc = `LR`", "value is either not quoted"),
                refused("params.'acc = LR", "unterminated single-quoted string", "position 7"),
                refused("params.acc = 'LR", "unterminated single-quoted string"),
                refused("params.acc = LR'", "unterminated single-quoted string"),
                refused("params.acc = \"LR'", "unterminated double-quoted string"),
                refused("tags.acc = = 'LR'", "expected a value", "position 11"),
                refused("attribute.status IS 'RUNNING'", "expected a comparator", "'IS'"),
                refused("tags.version IS NULL", "expected a comparator"),
                refused("params.acc LR !=", "expected a comparator", "'LR'"),
                refused("metric.acc !=", "expected a value after '!='", "at the end"),
                refused("metric.acc", "expected a comparator", "at the end"),
                refused("metrics.a == 1", "Invalid comparator '=='"),
                refused("metrics.a <> 1", "Invalid comparator '<>'"),
                refused("metrics.a ~ 1", "Invalid comparator '~'"),
                refused("metrics.a NOT LIKE 'x'", "Invalid comparator 'NOT LIKE'"),
                refused("metrics.a LIKE 1", "Invalid comparator 'LIKE' for metric 'a'", "not one of [=, !=, <, <=, >, >=]"),
                refused("metrics.a IN ('1')", "Invalid comparator 'IN' for metric 'a'"),
                refused("params.a > 'x'", "Invalid comparator '>' for parameter 'a'", "[=, !=, LIKE, ILIKE]"),
                refused("tags.a <= 'x'", "Invalid comparator '<=' for tag 'a'"),
                refused("params.a IN ('x')", "Invalid comparator 'IN' for parameter 'a'"),
                refused("attributes.status > 'x'", "Invalid comparator '>' for attribute 'status'"),
                refused("attributes.start_time LIKE 1234", "Invalid comparator 'LIKE' for attribute 'start_time'"),
                refused("attributes.start_time IN ('1')", "Invalid comparator 'IN' for attribute 'start_time'"),
                refused("datasets.name > 'x'", "Invalid comparator '>' for dataset 'name'"),
                refused("attributes.status IN ('RUNNING')", "Only the 'run_id' attribute supports comparison with a list"),
                refused("run_id IN 'a'", "IN needs a parenthesized list of quoted strings"),
                refused("run_id = ('a')", "a list of values is only allowed with IN and NOT IN"),
                refused("run_id IN ()", "expected a non-empty list", "position 11, ')'"),
                refused("run_id IN (\"a\")", "expected single-quoted string values"),
                refused("run_id IN (1, 2)", "expected a quoted string value", "'1'"),
                refused("run_id IN ('a' 'b')", "expected ',' or ')'", "'b'"),
                refused("run_id IN ('a',)", "expected a quoted string value", "')'"),
                refused("run_id IN ('a'", "unclosed list", "at the end"),
                refused("metrics.a > 1abc", "malformed number '1abc'"),
                refused("metrics. a > 1", "expected a name right after '.'", "position 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFilters")
    void refuses(String filter, String[] fragments) {
        assertInvalid(() -> RunFilterParser.parse(filter), fragments);
    }

    @Test
    void quotedKeyMustBeTheWholeKey() {
        assertInvalid(() -> RunFilterParser.parse("tags.\"a\".b = 'x'"), "a quoted key must be the whole key");
    }

    @Test
    void errorMessagesQuoteTheFilter() {
        assertInvalid(() -> RunFilterParser.parse("metrics.a ~ 1"), "Invalid filter 'metrics.a ~ 1'");
    }

    private static RunClause clause(EntityType type, String key, Comparator comparator, FilterValue value) {
        return new RunClause(type, key, comparator, value);
    }

    private static Arguments parsed(String filter, RunClause... clauses) {
        return Arguments.of(filter, List.of(clauses));
    }

    private static Arguments refused(String filter, String... fragments) {
        return Arguments.of(filter, fragments);
    }
}
