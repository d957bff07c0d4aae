package io.mlopscore.tracking.search;

import static io.mlopscore.tracking.search.Comparator.EQUALS;
import static io.mlopscore.tracking.search.Comparator.GREATER_THAN_OR_EQUALS;
import static io.mlopscore.tracking.search.Comparator.ILIKE;
import static io.mlopscore.tracking.search.Comparator.LIKE;
import static io.mlopscore.tracking.search.Comparator.NOT_EQUALS;
import static io.mlopscore.tracking.search.EntityType.ATTRIBUTE;
import static io.mlopscore.tracking.search.EntityType.TAG;
import static io.mlopscore.tracking.search.FilterValue.number;
import static io.mlopscore.tracking.search.FilterValue.text;
import static io.mlopscore.tracking.search.Invalid.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The search-experiments filter and order_by grammar (MLflow's SearchExperimentsUtils). */
class ExperimentParsersTest {

    @Test
    void parsesAttributeAndTagClauses() {
        assertThat(ExperimentFilterParser.parse("name = 'a'")).containsExactly(new ExperimentClause(ATTRIBUTE, "name", EQUALS, text("a")));
        assertThat(ExperimentFilterParser.parse("attribute.`name` != \"a\""))
                .containsExactly(new ExperimentClause(ATTRIBUTE, "name", NOT_EQUALS, text("a")));
        assertThat(ExperimentFilterParser.parse("name ILIKE 'a%' AND tags.`k e y` like '%v'")).containsExactly(
                new ExperimentClause(ATTRIBUTE, "name", ILIKE, text("a%")), new ExperimentClause(TAG, "k e y", LIKE, text("%v")));
        assertThat(ExperimentFilterParser.parse("creation_time >= 123 and attribute.last_update_time = 5")).containsExactly(
                new ExperimentClause(ATTRIBUTE, "creation_time", GREATER_THAN_OR_EQUALS, number("123")),
                new ExperimentClause(ATTRIBUTE, "last_update_time", EQUALS, number("5")));
        assertThat(ExperimentFilterParser.parse("tag.\"k.1\" = 'v'")).containsExactly(new ExperimentClause(TAG, "k.1", EQUALS, text("v")));
        assertThat(ExperimentFilterParser.parse(null)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "attributes.name = 'a' | Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags')",
            "`tag`.a = 'x' | Invalid entity type '`tag`'",
            "params.a = 'x' | Invalid entity type 'params'",
            "experiment_id = 1 | Invalid attribute key 'experiment_id'",
            "lifecycle_stage = 'active' | Invalid attribute key 'lifecycle_stage'",
            "name IN ('a') | Invalid comparator 'IN' for attribute 'name'",
            "name > 'a' | Invalid comparator '>' for attribute 'name'",
            "creation_time LIKE 1 | Invalid comparator 'LIKE' for attribute 'creation_time'",
            "creation_time = 'x' | Expected numeric value type for attribute 'creation_time'",
            "tags.a > 'x' | Invalid comparator '>' for tag 'a'",
            "tags.a = 1 | Expected a quoted string value for tag 'a'",
            "name = 1 | Expected a quoted string value for attribute 'name'",
            "name = 'a' OR name = 'b' | OR is not supported",
    })
    void refusesFilters(String filter, String fragment) {
        assertInvalid(() -> ExperimentFilterParser.parse(filter), fragment);
    }

    @Test
    void orderByDefaultsAndTieBreak() {
        var creationDesc = new ExperimentOrderBy(ExperimentAttribute.CREATION_TIME, false);
        var idAsc = new ExperimentOrderBy(ExperimentAttribute.EXPERIMENT_ID, true);
        var idDesc = new ExperimentOrderBy(ExperimentAttribute.EXPERIMENT_ID, false);
        var nameAsc = new ExperimentOrderBy(ExperimentAttribute.NAME, true);
        assertThat(ExperimentOrderBy.parseAll(null)).containsExactly(creationDesc, idAsc);
        assertThat(ExperimentOrderBy.parseAll(List.of())).containsExactly(creationDesc, idAsc);
        assertThat(ExperimentOrderBy.parseAll(List.of("name"))).containsExactly(nameAsc, idDesc);
        assertThat(ExperimentOrderBy.parseAll(List.of("experiment_id DESC"))).containsExactly(idDesc);
        assertThat(ExperimentOrderBy.parseAll(List.of("name", "experiment_id"))).containsExactly(nameAsc, idAsc);
        assertThat(ExperimentOrderBy.parseAll(List.of("attribute.last_update_time desc"))).containsExactly(
                new ExperimentOrderBy(ExperimentAttribute.LAST_UPDATE_TIME, false), idDesc);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "tags.a | Invalid order_by entity: tag",
            "attributes.name | Invalid entity type 'attributes'",
            "foo | Invalid attribute key 'foo'",
            "name ACS | Invalid ordering key",
            "'name ' | leading or trailing whitespace",
    })
    void refusesOrderBy(String orderBy, String fragment) {
        assertInvalid(() -> ExperimentOrderBy.parse(orderBy), fragment);
    }
}
