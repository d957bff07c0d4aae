package io.mlopscore.tracking.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Search-runs SQL run against a real database, checking the exact ids and their order. The
 * expectations follow MLflow 2.19's SQL store (tests/store/tracking/test_sqlalchemy_store.py).
 */
abstract class RunSearchSqlCases extends DatabaseTestBase {

    private List<String> search(String filter, String... orderBy) throws SQLException {
        return search(List.of("1"), filter, ViewType.ACTIVE_ONLY, 1000, 0, orderBy);
    }

    private List<String> search(List<String> experiments, String filter, ViewType view, int max, int offset,
                                String... orderBy) throws SQLException {
        return db.ids(RunSearchSql.compile(experiments, filter, view, List.of(orderBy), max, offset, db.dialect));
    }

    private void experiments() throws SQLException {
        db.experiment(1, "one", "active", 1L, 1L);
        db.experiment(2, "two", "active", 2L, 2L);
    }

    @Test
    void defaultOrderIsStartTimeDescendingThenRunId() throws SQLException {
        experiments();
        db.run("b", 1, 10L);
        db.run("a", 1, 10L);
        db.run("c", 1, 30L);
        db.run("d", 1, 20L);
        assertThat(search(null)).containsExactly("c", "d", "a", "b");
        assertThat(search("")).containsExactly("c", "d", "a", "b");
    }

    @Test
    void experimentIdsAndViewTypes() throws SQLException {
        experiments();
        db.run("a", 1, 1L);
        db.run("b", 2, 2L);
        db.run("c", 1, 3L);
        db.updateRun("c", "lifecycle_stage", "deleted");
        assertThat(search(List.of("1"), null, ViewType.ACTIVE_ONLY, 10, 0)).containsExactly("a");
        assertThat(search(List.of("1"), null, ViewType.DELETED_ONLY, 10, 0)).containsExactly("c");
        assertThat(search(List.of("1"), null, ViewType.ALL, 10, 0)).containsExactly("c", "a");
        assertThat(search(List.of("1", "2"), null, ViewType.ALL, 10, 0)).containsExactly("c", "b", "a");
        assertThat(search(List.of("2", "not-a-number"), null, ViewType.ALL, 10, 0)).containsExactly("b");
        assertThat(search(List.of(), null, ViewType.ALL, 10, 0)).isEmpty();
    }

    @Test
    void pagesWithLimitAndOffset() throws SQLException {
        experiments();
        for (int i = 0; i < 5; i++) {
            db.run("r" + i, 1, 5L); // all tie on start_time: run id decides
        }
        assertThat(search(List.of("1"), null, ViewType.ALL, 2, 0)).containsExactly("r0", "r1");
        assertThat(search(List.of("1"), null, ViewType.ALL, 2, 2)).containsExactly("r2", "r3");
        assertThat(search(List.of("1"), null, ViewType.ALL, 2, 4)).containsExactly("r4");
        assertThat(search(List.of("1"), null, ViewType.ALL, 2, 6)).isEmpty();
        assertThat(search(List.of("1"), null, ViewType.ALL, 0, 0)).isEmpty();
    }

    @Test
    void metricFiltersUseLatestMetricsAndNeedTheMetric() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.run("r3", 1, 3L);
        db.metric("r1", "common", 1.0);
        db.metric("r2", "common", 1.0);
        db.metric("r1", "measure_a", 1.0);
        db.metric("r2", "measure_a", 400.0);
        assertThat(search("metrics.common = 1.0")).containsExactly("r2", "r1");
        assertThat(search("metrics.common != 1.0")).isEmpty();
        assertThat(search("metrics.measure_a != -12")).containsExactly("r2", "r1"); // r3 has no measure_a
        assertThat(search("metrics.measure_a < 50.0")).containsExactly("r1");
        assertThat(search("metrics.measure_a >= 400")).containsExactly("r2");
        assertThat(search("metrics.measure_a > 1 and metrics.common <= 1")).containsExactly("r2");
        assertThat(search("metrics.measure_a > 0 AND metrics.measure_a < 2")).containsExactly("r1");
        assertThat(search("metrics.missing > 0")).isEmpty();
    }

    @Test
    void paramAndTagEqualityIsCaseSensitive() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.param("r1", "p_a", "abc");
        db.param("r2", "p_b", "ABC");
        db.tag("r1", "generic", "p_val");
        db.tag("r2", "generic", "p_val");
        assertThat(search("params.p_a = 'abc'")).containsExactly("r1");
        assertThat(search("params.p_a = 'ABC'")).isEmpty();
        assertThat(search("params.p_a != 'ABC'")).containsExactly("r1");
        assertThat(search("params.p_b = \"ABC\"")).containsExactly("r2");
        assertThat(search("tags.generic = 'P_VAL'")).isEmpty();
        assertThat(search("tags.generic != 'P_VAL'")).containsExactly("r2", "r1");
        assertThat(search("tags.generic = 'p_val' AND params.p_a = 'abc'")).containsExactly("r1");
    }

    @Test
    void likeIsCaseSensitiveAndIlikeIsNot() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.param("r1", "generic_2", "some value");
        db.param("r2", "generic_2", "another value");
        db.tag("r2", "t", "another value");
        assertThat(search("params.generic_2 LIKE '%other%'")).containsExactly("r2");
        assertThat(search("params.generic_2 LIKE 'other%'")).isEmpty();
        assertThat(search("params.generic_2 LIKE '%other'")).isEmpty();
        assertThat(search("params.generic_2 LIKE '%Other%'")).isEmpty();
        assertThat(search("params.generic_2 like '%value'")).containsExactly("r2", "r1");
        assertThat(search("params.generic_2 ILIKE '%Other%'")).containsExactly("r2");
        assertThat(search("params.generic_2 ilike '%VALUE'")).containsExactly("r2", "r1");
        assertThat(search("tags.t LIKE '%Other%'")).isEmpty();
        assertThat(search("tags.t ILIKE '%Other%'")).containsExactly("r2");
        assertThat(search("params.generic_2 LIKE 'some_value'")).containsExactly("r1"); // _ is one character
        assertThat(search("params.generic_2 LIKE 'some__value'")).isEmpty();
    }

    @Test
    void globCharactersInLikePatternsAreLiteral() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.run("r3", 1, 3L);
        db.param("r1", "p", "a*c?[x]");
        db.param("r2", "p", "abcd[x]");
        db.param("r3", "p", "abc?x");
        assertThat(search("params.p LIKE 'a*c?[x]'")).containsExactly("r1");
        assertThat(search("params.p LIKE 'a*%'")).containsExactly("r1");
        assertThat(search("params.p LIKE '%[x]'")).containsExactly("r2", "r1");
        assertThat(search("params.p LIKE 'abc?%'")).containsExactly("r3");
    }

    @Test
    void stringAttributes() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.updateRun("r2", "status", "FAILED");
        assertThat(search("attribute.status = 'RUNNING'")).containsExactly("r1");
        assertThat(search("status != 'SCHEDULED'")).containsExactly("r2", "r1");
        assertThat(search("attributes.status = 'running'")).isEmpty();
        assertThat(search("attr.user_id = 'user-r2'")).containsExactly("r2");
        assertThat(search("run.artifact_uri LIKE '%/r1/%'")).containsExactly("r1");
        assertThat(search("attribute.artifact_uri LIKE '%/R1/%'")).isEmpty();
        assertThat(search("attribute.artifact_uri ILIKE '%/R1/%'")).containsExactly("r1");
    }

    @Test
    void runIdEqualityAndLists() throws SQLException {
        experiments();
        db.run("aaa1", 1, 1L);
        db.run("bbb2", 1, 2L);
        db.run("ccc3", 1, 3L);
        assertThat(search("attributes.run_id = 'aaa1'")).containsExactly("aaa1");
        assertThat(search("run_id != 'aaa1'")).containsExactly("ccc3", "bbb2");
        assertThat(search("run_id IN ('aaa1','bbb2')")).containsExactly("bbb2", "aaa1");
        assertThat(search("run_id in ('aaa1',  'ccc3')")).containsExactly("ccc3", "aaa1");
        assertThat(search("run_id NOT IN ('aaa1', 'bbb2')")).containsExactly("ccc3");
        assertThat(search("run_id IN ('AAA1')")).isEmpty(); // upper-case ids are dropped, as in MLflow
        assertThat(search("run_id NOT IN ('AAA1')")).containsExactly("ccc3", "bbb2", "aaa1");
        assertThat(search("run_name = 'aaa1' AND run_id IN ('aaa1')")).containsExactly("aaa1");
    }

    @Test
    void runNameFiltersOnTheRunNameTag() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.updateRun("r1", "name", ""); // runs logged by MLflow <= 1.29 have no name column value
        db.exec("UPDATE tags SET value = ? WHERE run_uuid = ? AND key = ?", "new_name1", "r1", "mlflow.runName");
        assertThat(search("attributes.run_name = 'new_name1'")).containsExactly("r1");
        assertThat(search("attributes.`Run name` = 'new_name1'")).containsExactly("r1");
        assertThat(search("\"run name\" LIKE 'new%'")).containsExactly("r1");
        assertThat(search("attributes.`Run Name` ILIKE 'R2'")).containsExactly("r2");
        assertThat(search("run_name != 'r2'")).containsExactly("r1");
        assertThat(search("tags.`mlflow.runName` = 'r2'")).containsExactly("r2");
        assertThat(search("tags.mlflow.runName = 'r2'")).containsExactly("r2");
    }

    @Test
    void numericAttributesAndCreatedAlias() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 2L);
        db.updateRun("r2", "end_time", 20L);
        assertThat(search("attributes.start_time > 0")).containsExactly("r2", "r1");
        assertThat(search("attributes.created > 1")).containsExactly("r2");
        assertThat(search("attributes.Created > 2")).isEmpty();
        assertThat(search("start_time >= 1.5")).containsExactly("r2");
        assertThat(search("end_time = 20")).containsExactly("r2");
        assertThat(search("end_time != 20")).isEmpty(); // NULL end_time compares to nothing
        assertThat(search(null, "attributes.start_time DESC")).containsExactly("r2", "r1");
        assertThat(search(null, "attributes.created ASC")).containsExactly("r1", "r2");
        assertThat(search(null, "attributes.Created DESC")).containsExactly("r2", "r1");
    }

    @Test
    void datasetFilters() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        db.run("r2", 1, 3L);
        db.run("r3", 1, 2L);
        db.dataset("d1", 1, "name1", "digest1");
        db.dataset("d2", 1, "name2", "digest2");
        db.dataset("d3", 1, "name3", "digest3");
        db.input("i1", "d1", "r1", "train");
        db.input("i2", "d2", "r1", "eval");
        db.input("i3", "d1", "r2", "train");
        db.input("i4", "d3", "r2", "eval");
        db.input("i5", "d2", "r3", "test");
        assertThat(search("dataset.name = 'name1'")).containsExactly("r2", "r1");
        assertThat(search("dataset.digest = 'digest2'")).containsExactly("r3", "r1");
        assertThat(search("dataset.name = 'name4'")).isEmpty();
        assertThat(search("dataset.context = 'train'")).containsExactly("r2", "r1");
        assertThat(search("dataset.context = 'test'")).containsExactly("r3");
        assertThat(search("dataset.context = 'test' and dataset.name = 'name2'")).containsExactly("r3");
        assertThat(search("datasets.name IN ('name1', 'name2')")).containsExactly("r2", "r3", "r1");
        assertThat(search("datasets.digest IN ('digest1', 'digest2')")).containsExactly("r2", "r3", "r1");
        assertThat(search("datasets.name NOT IN ('name1')")).containsExactly("r2", "r3", "r1");
        assertThat(search("datasets.name NOT IN ('name1', 'name2')")).containsExactly("r2");
        assertThat(search("datasets.name LIKE 'Name%'")).isEmpty();
        assertThat(search("datasets.name ILIKE 'Name%'")).containsExactly("r2", "r3", "r1");
        assertThat(search("datasets.context ILIKE 'TEST%'")).containsExactly("r3");
        assertThat(search("datasets.context IN ('test', 'train')")).containsExactly("r2", "r3", "r1");
        assertThat(search("datasets.name = 'name1' AND datasets.digest = 'digest3'")).containsExactly("r2");
        assertThat(search("datasets.name != 'name2'")).containsExactly("r2", "r1");
    }

    @Test
    void orderByMetricPutsNanThenMissingLastInBothDirections() throws SQLException {
        experiments();
        String[][] runs = {{null, "1"}, {"nan", "2"}, {"inf", "3"}, {"-inf", "4"}, {"-1000", "5"}, {"0", "6"},
                {"0", "7"}, {"1000", "8"}};
        for (String[] r : runs) {
            String id = r[0] + "/" + r[1];
            db.run(id, 1, 123L);
            if ("nan".equals(r[0])) {
                db.nanMetric(id, "x");
            } else if (r[0] != null) {
                db.metric(id, "x", Double.parseDouble(r[0].replace("inf", "Infinity")));
            }
            if (r[0] != null) {
                db.metric(id, "y", Double.parseDouble(r[1]));
            }
            db.tag(id, "metric", r[1]);
            db.param(id, "metric", r[1]);
        }
        assertThat(search(null, "metrics.x asc", "metrics.y asc"))
                .containsExactly("-inf/4", "-1000/5", "0/6", "0/7", "1000/8", "inf/3", "nan/2", "null/1");
        assertThat(search(null, "metrics.x asc", "tag.metric asc"))
                .containsExactly("-inf/4", "-1000/5", "0/6", "0/7", "1000/8", "inf/3", "nan/2", "null/1");
        assertThat(search(null, "metrics.x asc", "metrics.y desc"))
                .containsExactly("-inf/4", "-1000/5", "0/7", "0/6", "1000/8", "inf/3", "nan/2", "null/1");
        assertThat(search(null, "metrics.x desc", "metrics.y asc"))
                .containsExactly("inf/3", "1000/8", "0/6", "0/7", "-1000/5", "-inf/4", "nan/2", "null/1");
        assertThat(search(null, "metrics.x desc", "param.metric desc"))
                .containsExactly("inf/3", "1000/8", "0/7", "0/6", "-1000/5", "-inf/4", "nan/2", "null/1");
    }

    @Test
    void orderByParamsAndTagsPutsMissingLastAndComparesAsText() throws SQLException {
        experiments();
        db.run("a", 1, 1L);
        db.run("b", 1, 2L);
        db.run("c", 1, 3L);
        db.run("d", 1, 4L);
        db.param("a", "lr", "10");
        db.param("b", "lr", "9");
        db.param("c", "lr", "10");
        db.tag("b", "team", "x");
        assertThat(search(null, "params.lr")).containsExactly("c", "a", "b", "d"); // '10' < '9'; tie by start_time
        assertThat(search(null, "params.lr DESC")).containsExactly("b", "c", "a", "d");
        assertThat(search(null, "tags.team DESC")).containsExactly("b", "d", "c", "a");
        assertThat(search(null, "tags.noSuchTag")).containsExactly("d", "c", "b", "a");
        assertThat(search("params.lr = '10'", "params.lr", "attributes.run_id DESC")).containsExactly("c", "a");
    }

    @Test
    void orderByAttributesPutsNullLastInBothDirections() throws SQLException {
        experiments();
        long start = 123;
        for (Long end : new Long[] {234L, null, 456L, -123L, 789L, 123L}) {
            String id = "end" + end;
            db.run(id, 1, start++);
            db.updateRun(id, "end_time", end);
        }
        assertThat(search(null, "attribute.end_time asc"))
                .containsExactly("end-123", "end123", "end234", "end456", "end789", "endnull");
        assertThat(search(null, "attribute.end_time desc"))
                .containsExactly("end789", "end456", "end234", "end123", "end-123", "endnull");
        assertThat(search(null, "attribute.start_time asc", "attribute.end_time desc"))
                .containsExactly("end234", "endnull", "end456", "end-123", "end789", "end123");
        assertThat(search(null, "attributes.run_name DESC")).first().isEqualTo("endnull");
    }

    @Test
    void orderByMetricWithFilterAndPages() throws SQLException {
        experiments();
        for (int i = 0; i < 6; i++) {
            db.run("r" + i, 1, (long) i);
            db.metric("r" + i, "acc", i % 3); // 0,1,2,0,1,2
        }
        assertThat(search(List.of("1"), "metrics.acc > 0", ViewType.ACTIVE_ONLY, 3, 0, "metrics.acc DESC"))
                .containsExactly("r5", "r2", "r4");
        assertThat(search(List.of("1"), "metrics.acc > 0", ViewType.ACTIVE_ONLY, 3, 3, "metrics.acc DESC"))
                .containsExactly("r1");
    }

    @Test
    void valuesAndKeysAreBoundNotWrittenIntoTheSql() throws SQLException {
        experiments();
        db.run("r1", 1, 1L);
        String evil = "x'); DROP TABLE runs; --";
        db.param("r1", evil, evil);
        SqlQuery q = RunSearchSql.compile(List.of("1"), "params.`" + evil + "` = \"" + evil + "\"", ViewType.ALL,
                List.of("params.`" + evil + "`"), 10, 0, db.dialect);
        assertThat(q.sql()).doesNotContain("DROP").doesNotContain("'x'");
        assertThat(db.ids(q)).containsExactly("r1");
        assertThat(db.column("SELECT COUNT(*) FROM runs")).containsExactly("1");
    }
}
