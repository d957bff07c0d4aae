package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One search-runs order_by term: {@code <identifier> [ASC|DESC]}, ascending by default.
 * Metrics, params, tags and the orderable attributes (RunInfo's, plus {@code created}) may be
 * ordered by; datasets may not.
 *
 * @param key for attributes MLflow's attribute name with aliases resolved
 */
public record RunOrderBy(EntityType type, String key, boolean ascending) {

    public RunAttribute attribute() {
        return type == EntityType.ATTRIBUTE ? RunAttribute.byName(key) : null;
    }

    public static RunOrderBy parse(String orderBy) {
        FilterSyntax.OrderTerm term = FilterSyntax.parseOrderBy(orderBy);
        FilterSyntax.Identifier id = term.identifier();
        EntityType type = RunFilterParser.entityType(id, orderBy, FilterSyntax.ORDER_BY);
        switch (type) {
            case ATTRIBUTE -> {
                RunAttribute attribute = RunAttribute.forOrderBy(id.key());
                if (attribute == null) {
                    throw SearchErrors.at(FilterSyntax.ORDER_BY, orderBy, id.first(), "Invalid attribute key '"
                            + id.key() + "' specified. Valid keys are " + RunAttribute.VALID_ORDER_BY_KEYS);
                }
                return new RunOrderBy(type, attribute.mlflowName(), term.ascending());
            }
            case DATASET -> throw SearchErrors.at(FilterSyntax.ORDER_BY, orderBy, id.first(),
                    "Invalid identifier type 'dataset': runs can be ordered by metrics, params, tags and attributes");
            default -> {
                return new RunOrderBy(type, id.key(), term.ascending());
            }
        }
    }

    /** Parses every term; naming the same field twice is an error, as in MLflow. */
    public static List<RunOrderBy> parseAll(List<String> orderBy) {
        if (orderBy == null) {
            return List.of();
        }
        List<RunOrderBy> terms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String clause : orderBy) {
            RunOrderBy term = parse(clause);
            if (!seen.add(term.type() + "." + term.key())) {
                throw ApiException.invalid("`order_by` contains duplicate fields: " + orderBy
                        + " ('" + clause + "' orders by " + term.type().mlflowName() + " '" + term.key() + "' again).");
            }
            terms.add(term);
        }
        return terms;
    }
}
