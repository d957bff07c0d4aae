package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses a search-runs filter (MLflow 2.19's SearchUtils.parse_search_filter) and applies the
 * per-entity rules of MLflow's SQL store:
 * <ul>
 *   <li>metrics: numeric value; = != &lt; &lt;= &gt; &gt;=</li>
 *   <li>params and tags: quoted string; = != LIKE ILIKE</li>
 *   <li>attributes start_time/end_time (alias created): numeric value, numeric comparators</li>
 *   <li>other attributes: quoted string; = != LIKE ILIKE IN NOT IN, lists only for run_id</li>
 *   <li>datasets name/digest/context: quoted string or list; = != LIKE ILIKE IN NOT IN</li>
 * </ul>
 */
public final class RunFilterParser {
    private RunFilterParser() {}

    /** @return the clauses, ANDed; empty for a null or blank filter */
    public static List<RunClause> parse(String filter) {
        List<RunClause> clauses = new ArrayList<>();
        ClauseChecks checks = new ClauseChecks(filter);
        for (FilterSyntax.Clause clause : FilterSyntax.parseFilter(filter)) {
            clauses.add(resolve(clause, filter, checks));
        }
        return clauses;
    }

    private static RunClause resolve(FilterSyntax.Clause clause, String filter, ClauseChecks checks) {
        FilterSyntax.Identifier id = clause.identifier();
        EntityType type = entityType(id, filter, FilterSyntax.FILTER);
        String key = id.key();
        Comparator comparator = clause.comparator();
        switch (type) {
            case METRIC -> {
                String subject = "metric '" + key + "'";
                checks.comparator(clause, ClauseChecks.NUMERIC, subject);
                return new RunClause(type, key, comparator, checks.number(clause, subject));
            }
            case PARAM, TAG -> {
                String subject = type.mlflowName() + " '" + key + "'";
                checks.comparator(clause, ClauseChecks.STRING, subject);
                return new RunClause(type, key, comparator, checks.text(clause, subject));
            }
            case ATTRIBUTE -> {
                RunAttribute attribute = RunAttribute.forFilter(key);
                if (attribute == null) {
                    throw SearchErrors.at(FilterSyntax.FILTER, filter, id.first(), "Invalid attribute key '" + key
                            + "' specified. Valid keys are " + RunAttribute.VALID_FILTER_KEYS);
                }
                String subject = "attribute '" + key + "'";
                if (attribute.numeric()) {
                    checks.comparator(clause, ClauseChecks.NUMERIC, subject);
                    return new RunClause(type, attribute.mlflowName(), comparator, checks.number(clause, subject));
                }
                checks.comparator(clause, ClauseChecks.STRING_OR_LIST, subject);
                if (!comparator.takesList()) {
                    return new RunClause(type, attribute.mlflowName(), comparator, checks.text(clause, subject));
                }
                if (attribute != RunAttribute.RUN_ID) {
                    throw SearchErrors.at(FilterSyntax.FILTER, filter, clause.comparatorToken(), "Only the 'run_id' "
                            + "attribute supports comparison with a list of quoted string values");
                }
                return new RunClause(type, attribute.mlflowName(), comparator, lowerCaseIds(checks.list(clause, subject)));
            }
            case DATASET -> {
                DatasetField field = DatasetField.byKey(key);
                if (field == null) {
                    throw SearchErrors.at(FilterSyntax.FILTER, filter, id.first(), "Invalid dataset key '" + key
                            + "' specified. Valid keys are " + DatasetField.VALID_KEYS);
                }
                String subject = "dataset '" + key + "'";
                checks.comparator(clause, ClauseChecks.STRING_OR_LIST, subject);
                FilterValue value = comparator.takesList() ? checks.list(clause, subject) : checks.text(clause, subject);
                return new RunClause(type, key, comparator, value);
            }
            default -> throw new IllegalStateException(type.name());
        }
    }

    /** The entity of a search-runs identifier; no prefix means an attribute. */
    static EntityType entityType(FilterSyntax.Identifier id, String source, String what) {
        if (id.prefix() == null) {
            return EntityType.ATTRIBUTE;
        }
        EntityType type = EntityType.fromPrefix(id.prefix());
        if (type == null) {
            throw SearchErrors.at(what, source, id.first(), "Invalid entity type '" + id.prefix()
                    + "'. Valid values are " + EntityType.VALID_NAMES + " (or their plurals and aliases)");
        }
        return type;
    }

    /**
     * MLflow drops listed run ids that are not lower case (str.islower: some cased letter and no
     * upper case one), because run ids are lower-case hex and MySQL's IN ignores case.
     */
    private static FilterValue.TextList lowerCaseIds(FilterValue.TextList list) {
        return new FilterValue.TextList(list.values().stream().filter(RunFilterParser::isPythonLower).toList());
    }

    private static boolean isPythonLower(String s) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            cased |= Character.isLowerCase(cp);
            i += Character.charCount(cp);
        }
        return cased;
    }
}
