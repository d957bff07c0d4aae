package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.List;

/**
 * One search-experiments order_by term over an attribute: name, experiment_id, creation_time or
 * last_update_time, ascending unless DESC.
 */
public record ExperimentOrderBy(ExperimentAttribute attribute, boolean ascending) {

    /** MLflow's order when none is given: newest first, then by id. */
    public static final List<ExperimentOrderBy> DEFAULT = List.of(
            new ExperimentOrderBy(ExperimentAttribute.CREATION_TIME, false),
            new ExperimentOrderBy(ExperimentAttribute.EXPERIMENT_ID, true));

    public static ExperimentOrderBy parse(String orderBy) {
        FilterSyntax.OrderTerm term = FilterSyntax.parseOrderBy(orderBy);
        FilterSyntax.Identifier id = term.identifier();
        EntityType type = ExperimentFilterParser.entityType(id, orderBy, FilterSyntax.ORDER_BY);
        if (type != EntityType.ATTRIBUTE) {
            throw SearchErrors.at(FilterSyntax.ORDER_BY, orderBy, id.first(),
                    "Invalid order_by entity: tag; experiments can only be ordered by attributes");
        }
        ExperimentAttribute attribute = ExperimentAttribute.byKey(id.key());
        if (attribute == null) {
            throw SearchErrors.at(FilterSyntax.ORDER_BY, orderBy, id.first(), "Invalid attribute key '" + id.key()
                    + "' specified. Valid keys are " + ExperimentAttribute.VALID_ORDER_BY_KEYS);
        }
        return new ExperimentOrderBy(attribute, term.ascending());
    }

    /**
     * The full ordering MLflow applies: the given terms (or {@link #DEFAULT} when there are none),
     * then experiment_id descending as a tie-break unless experiment_id is already ordered by.
     */
    public static List<ExperimentOrderBy> parseAll(List<String> orderBy) {
        List<ExperimentOrderBy> terms = new ArrayList<>();
        if (orderBy == null || orderBy.isEmpty()) {
            terms.addAll(DEFAULT);
        } else {
            orderBy.forEach(clause -> terms.add(parse(clause)));
        }
        if (terms.stream().noneMatch(t -> t.attribute() == ExperimentAttribute.EXPERIMENT_ID)) {
            terms.add(new ExperimentOrderBy(ExperimentAttribute.EXPERIMENT_ID, false));
        }
        return terms;
    }
}
