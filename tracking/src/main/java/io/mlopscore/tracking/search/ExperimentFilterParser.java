package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a search-experiments filter (MLflow 2.19's SearchExperimentsUtils) with its SQL store's
 * rules: attribute {@code name} takes a quoted string and = != LIKE ILIKE; {@code creation_time}
 * and {@code last_update_time} take numbers and = != &lt; &lt;= &gt; &gt;=; {@code tags.<key>} takes a
 * quoted string and = != LIKE ILIKE. The only prefixes are {@code attribute}, {@code tag} and
 * {@code tags}; no prefix means an attribute.
 */
public final class ExperimentFilterParser {
    private ExperimentFilterParser() {}

    public static List<ExperimentClause> parse(String filter) {
        List<ExperimentClause> clauses = new ArrayList<>();
        ClauseChecks checks = new ClauseChecks(filter);
        for (FilterSyntax.Clause clause : FilterSyntax.parseFilter(filter)) {
            clauses.add(resolve(clause, filter, checks));
        }
        return clauses;
    }

    private static ExperimentClause resolve(FilterSyntax.Clause clause, String filter, ClauseChecks checks) {
        FilterSyntax.Identifier id = clause.identifier();
        EntityType type = entityType(id, filter, FilterSyntax.FILTER);
        String key = id.key();
        if (type == EntityType.TAG) {
            String subject = "tag '" + key + "'";
            checks.comparator(clause, ClauseChecks.STRING, subject);
            return new ExperimentClause(type, key, clause.comparator(), checks.text(clause, subject));
        }
        ExperimentAttribute attribute = ExperimentAttribute.forFilter(key);
        if (attribute == null) {
            throw SearchErrors.at(FilterSyntax.FILTER, filter, id.first(), "Invalid attribute key '" + key
                    + "' specified. Valid keys are " + ExperimentAttribute.VALID_FILTER_KEYS);
        }
        String subject = "attribute '" + key + "'";
        if (attribute.numeric()) {
            checks.comparator(clause, ClauseChecks.NUMERIC, subject);
            return new ExperimentClause(type, key, clause.comparator(), checks.number(clause, subject));
        }
        checks.comparator(clause, ClauseChecks.STRING, subject);
        return new ExperimentClause(type, key, clause.comparator(), checks.text(clause, subject));
    }

    /** ATTRIBUTE or TAG. MLflow compares the prefix as written, so a backticked one is refused. */
    static EntityType entityType(FilterSyntax.Identifier id, String source, String what) {
        if (id.prefix() == null) {
            return EntityType.ATTRIBUTE;
        }
        if (!id.prefixBackticked()) {
            switch (id.prefix()) {
                case "attribute" -> {
                    return EntityType.ATTRIBUTE;
                }
                case "tag", "tags" -> {
                    return EntityType.TAG;
                }
                default -> { }
            }
        }
        String written = id.prefixBackticked() ? "`" + id.prefix() + "`" : id.prefix();
        throw SearchErrors.at(what, source, id.first(), "Invalid entity type '" + written
                + "'. Valid entity types are ('attribute', 'tag', 'tags')");
    }
}
