package io.mlopscore.tracking.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Search-experiments SQL on a real database; expectations follow MLflow 2.19's SQL store tests. */
abstract class ExperimentSearchSqlCases extends DatabaseTestBase {

    private List<String> search(String filter, String... orderBy) throws SQLException {
        return search(filter, ViewType.ACTIVE_ONLY, 1000, 0, orderBy);
    }

    private List<String> search(String filter, ViewType view, int limit, int offset, String... orderBy) throws SQLException {
        List<String> names = new ArrayList<>();
        for (String id : db.ids(ExperimentSearchSql.compile(filter, view, List.of(orderBy), limit, offset, db.dialect))) {
            names.add(db.column("SELECT name FROM experiments WHERE experiment_id = ?", Long.parseLong(id)).get(0));
        }
        return names;
    }

    /** Experiments named as given, created in that order one millisecond apart, after "Default" (id 0). */
    private void experiments(String... names) throws SQLException {
        db.experiment(0, "Default", "active", 100L, 100L);
        for (int i = 0; i < names.length; i++) {
            db.experiment(i + 1, names[i], "active", 101L + i, 101L + i);
        }
    }

    @Test
    void defaultOrderIsNewestFirst() throws SQLException {
        experiments("0", "1", "2", "3");
        assertThat(search(null)).containsExactly("3", "2", "1", "0", "Default");
    }

    @Test
    void sameCreationTimeFallsBackToIdAscending() throws SQLException {
        db.experiment(3, "c", "active", 5L, 5L);
        db.experiment(1, "a", "active", 5L, 5L);
        db.experiment(2, "b", "active", 9L, 9L);
        assertThat(search(null)).containsExactly("b", "a", "c");
        // an explicit order gets experiment_id DESC as tie-break
        assertThat(search(null, "creation_time")).containsExactly("c", "a", "b");
    }

    @Test
    void viewTypes() throws SQLException {
        experiments("a", "b");
        db.exec("UPDATE experiments SET lifecycle_stage = 'deleted' WHERE name = 'b'");
        assertThat(search(null, ViewType.ACTIVE_ONLY, 10, 0)).containsExactly("a", "Default");
        assertThat(search(null, ViewType.DELETED_ONLY, 10, 0)).containsExactly("b");
        assertThat(search(null, ViewType.ALL, 10, 0)).containsExactly("b", "a", "Default");
    }

    @Test
    void filterByName() throws SQLException {
        experiments("a", "ab", "Abc");
        assertThat(search("name = 'a'")).containsExactly("a");
        assertThat(search("attribute.name = 'a'")).containsExactly("a");
        assertThat(search("attribute.`name` = 'a'")).containsExactly("a");
        assertThat(search("attribute.`name` != 'a'")).containsExactly("Abc", "ab", "Default");
        assertThat(search("name LIKE 'a%'")).containsExactly("ab", "a");
        assertThat(search("name ILIKE 'a%'")).containsExactly("Abc", "ab", "a");
        assertThat(search("name ILIKE 'a%' AND name ILIKE '%b'")).containsExactly("ab");
    }

    @Test
    void filterByTimes() throws SQLException {
        experiments("1", "2");
        db.exec("UPDATE experiments SET last_update_time = 500 WHERE name = '1'");
        assertThat(search("creation_time = 101")).containsExactly("1");
        assertThat(search("creation_time != 101")).containsExactly("2", "Default");
        assertThat(search("creation_time >= 101")).containsExactly("2", "1");
        assertThat(search("creation_time < 102")).containsExactly("1", "Default");
        assertThat(search("creation_time > 1e9")).isEmpty();
        assertThat(search("last_update_time >= 500")).containsExactly("1");
        assertThat(search("last_update_time <= 102")).containsExactly("2", "Default");
    }

    @Test
    void filterByTags() throws SQLException {
        experiments("exp1", "exp2", "exp3");
        db.experimentTag(1, "key1", "value");
        db.experimentTag(1, "key2", "value");
        db.experimentTag(2, "key1", "vaLue");
        db.experimentTag(2, "key2", "vaLue");
        db.experimentTag(3, "k e y 1", "value");
        assertThat(search("tag.key1 = 'value'")).containsExactly("exp1");
        assertThat(search("tag.`k e y 1` = 'value'")).containsExactly("exp3");
        assertThat(search("tag.\"k e y 1\" = 'value'")).containsExactly("exp3");
        assertThat(search("tag.key1 != 'value'")).containsExactly("exp2");
        assertThat(search("tag.key1 != 'VALUE'")).containsExactly("exp2", "exp1");
        assertThat(search("tag.key1 LIKE 'val%'")).containsExactly("exp1");
        assertThat(search("tag.key1 LIKE '%Lue'")).containsExactly("exp2");
        assertThat(search("tag.key1 ILIKE '%alu%'")).containsExactly("exp2", "exp1");
        assertThat(search("tag.key1 LIKE 'va%' AND tags.key2 LIKE '%Lue'")).containsExactly("exp2");
        assertThat(search("tag.KEY = 'value'")).isEmpty();
        assertThat(search("name ILIKE 'exp%' AND tags.key1 = 'value'")).containsExactly("exp1");
    }

    @Test
    void orderBy() throws SQLException {
        experiments("x", "y", "z");
        assertThat(search(null, "name")).containsExactly("Default", "x", "y", "z");
        assertThat(search(null, "name ASC")).containsExactly("Default", "x", "y", "z");
        assertThat(search(null, "name DESC")).containsExactly("z", "y", "x", "Default");
        assertThat(search(null, "experiment_id DESC")).containsExactly("z", "y", "x", "Default");
        assertThat(search(null, "name", "experiment_id")).containsExactly("Default", "x", "y", "z");
        assertThat(search(null, "last_update_time")).containsExactly("Default", "x", "y", "z");
        assertThat(search(null, "attribute.creation_time DESC")).containsExactly("z", "y", "x", "Default");
    }

    @Test
    void pages() throws SQLException {
        experiments("0", "1", "2", "3", "4", "5", "6", "7", "8");
        // MLflow fetches max_results + 1 rows to learn whether another page follows
        assertThat(search(null, ViewType.ACTIVE_ONLY, 5, 0)).containsExactly("8", "7", "6", "5", "4");
        assertThat(search(null, ViewType.ACTIVE_ONLY, 5, 4)).containsExactly("4", "3", "2", "1", "0");
        assertThat(search(null, ViewType.ACTIVE_ONLY, 5, 8)).containsExactly("0", "Default");
    }
}
