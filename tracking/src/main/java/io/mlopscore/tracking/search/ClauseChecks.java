package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks shared by the run and experiment filters: allowed comparators and value types. */
final class ClauseChecks {
    static final Set<Comparator> NUMERIC = EnumSet.of(Comparator.EQUALS, Comparator.NOT_EQUALS,
            Comparator.LESS_THAN, Comparator.LESS_THAN_OR_EQUALS, Comparator.GREATER_THAN, Comparator.GREATER_THAN_OR_EQUALS);
    static final Set<Comparator> STRING = EnumSet.of(Comparator.EQUALS, Comparator.NOT_EQUALS, Comparator.LIKE, Comparator.ILIKE);
    static final Set<Comparator> STRING_OR_LIST = EnumSet.of(Comparator.EQUALS, Comparator.NOT_EQUALS,
            Comparator.LIKE, Comparator.ILIKE, Comparator.IN, Comparator.NOT_IN);

    private final String source;

    ClauseChecks(String source) {
        this.source = source;
    }

    /** @param subject what the clause is about, e.g. "metric 'acc'" */
    void comparator(FilterSyntax.Clause clause, Set<Comparator> allowed, String subject) {
        if (!allowed.contains(clause.comparator())) {
            String list = allowed.stream().map(Comparator::symbol).collect(Collectors.joining(", ", "[", "]"));
            throw SearchErrors.at(FilterSyntax.FILTER, source, clause.comparatorToken(),
                    "Invalid comparator '" + clause.comparatorText() + "' for " + subject + ", not one of " + list);
        }
    }

    FilterValue.Number number(FilterSyntax.Clause clause, String subject) {
        if (clause.value() instanceof FilterSyntax.Number n) {
            return FilterValue.number(n.first().text());
        }
        throw SearchErrors.at(FilterSyntax.FILTER, source, clause.value().first(),
                "Expected numeric value type for " + subject + ". Found " + valueText(clause.value()));
    }

    /** A 'single' or "double" quoted string; the comparator takes one value. */
    FilterValue.Text text(FilterSyntax.Clause clause, String subject) {
        FilterSyntax.Value value = clause.value();
        if (value instanceof FilterSyntax.Quoted q) {
            return FilterValue.text(q.first().value());
        }
        String why;
        if (value instanceof FilterSyntax.Unquoted) {
            why = "Parameter value is either not quoted or unidentified quote types used for string value "
                    + valueText(value) + ". Use either single or double quotes";
        } else if (value instanceof FilterSyntax.ValueList) {
            why = "a list of values is only allowed with IN and NOT IN";
        } else {
            why = "Expected a quoted string value for " + subject + " (e.g. 'my-value'). Got value " + valueText(value);
        }
        throw SearchErrors.at(FilterSyntax.FILTER, source, value.first(), why);
    }

    /** The list of an IN / NOT IN: single-quoted strings only, as in MLflow. */
    FilterValue.TextList list(FilterSyntax.Clause clause, String subject) {
        if (!(clause.value() instanceof FilterSyntax.ValueList list)) {
            throw SearchErrors.at(FilterSyntax.FILTER, source, clause.value().first(), clause.comparatorText()
                    + " needs a parenthesized list of quoted strings for " + subject + ", e.g. ('a', 'b')");
        }
        List<String> values = new ArrayList<>();
        for (Token item : list.items()) {
            if (item.kind() != Token.Kind.SINGLE_QUOTED) {
                throw SearchErrors.at(FilterSyntax.FILTER, source, item,
                        "While parsing a list in the query, expected single-quoted string values");
            }
            values.add(item.value());
        }
        return new FilterValue.TextList(values);
    }

    private String valueText(FilterSyntax.Value value) {
        if (value instanceof FilterSyntax.Unquoted u) {
            return u.text();
        }
        return value.first().text();
    }
}
