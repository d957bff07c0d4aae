package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the filters of search-registered-models and search-model-versions with MLflow 2.19's
 * rules (SearchModelUtils, SearchModelVersionUtils). Prefixes are {@code attribute} (or none),
 * {@code tag} and {@code tags}; tags take a quoted string with = != LIKE ILIKE.
 * <ul>
 *   <li>registered models: attribute {@code name} only, a quoted string, = != LIKE ILIKE;</li>
 *   <li>model versions: {@code name}, {@code run_id} and {@code source_path} (quoted strings,
 *       = != LIKE ILIKE, and IN with a list for run_id only); {@code version_number},
 *       {@code creation_timestamp} and {@code last_updated_timestamp} (numbers,
 *       = != &lt; &lt;= &gt; &gt;=).</li>
 * </ul>
 */
public final class RegistryFilterParser {
    /** Model version filter keys and their columns. */
    static final Map<String, String> VERSION_STRING_COLUMNS = Map.of("name", "name", "run_id", "run_id", "source_path", "source");
    static final Map<String, String> VERSION_NUMERIC_COLUMNS = Map.of("version_number", "version",
            "creation_timestamp", "creation_time", "last_updated_timestamp", "last_updated_time");
    static final String VERSION_VALID_KEYS = "[name, run_id, source_path, version_number, creation_timestamp, last_updated_timestamp]";
    private static final Set<Comparator> STRING_OR_IN = EnumSet.of(Comparator.EQUALS, Comparator.NOT_EQUALS,
            Comparator.LIKE, Comparator.ILIKE, Comparator.IN);

    private RegistryFilterParser() {}

    public static List<RegistryClause> parseRegisteredModels(String filter) {
        List<RegistryClause> clauses = new ArrayList<>();
        ClauseChecks checks = new ClauseChecks(filter);
        for (FilterSyntax.Clause clause : FilterSyntax.parseFilter(filter)) {
            FilterSyntax.Identifier id = clause.identifier();
            EntityType type = ExperimentFilterParser.entityType(id, filter, FilterSyntax.FILTER);
            if (type == EntityType.TAG) {
                clauses.add(tag(clause, checks));
                continue;
            }
            if (!id.key().equals("name")) {
                throw SearchErrors.at(FilterSyntax.FILTER, filter, id.first(), "Invalid attribute key '" + id.key()
                        + "' specified. Valid keys are '{'name'}'");
            }
            String subject = "attribute 'name'";
            checks.comparator(clause, ClauseChecks.STRING, subject);
            clauses.add(new RegistryClause(type, "name", clause.comparator(), checks.text(clause, subject)));
        }
        return clauses;
    }

    public static List<RegistryClause> parseModelVersions(String filter) {
        List<RegistryClause> clauses = new ArrayList<>();
        ClauseChecks checks = new ClauseChecks(filter);
        for (FilterSyntax.Clause clause : FilterSyntax.parseFilter(filter)) {
            FilterSyntax.Identifier id = clause.identifier();
            EntityType type = ExperimentFilterParser.entityType(id, filter, FilterSyntax.FILTER);
            if (type == EntityType.TAG) {
                clauses.add(tag(clause, checks));
                continue;
            }
            String key = id.key();
            String subject = "attribute '" + key + "'";
            String numeric = VERSION_NUMERIC_COLUMNS.get(key);
            if (numeric != null) {
                checks.comparator(clause, ClauseChecks.NUMERIC, subject);
                clauses.add(new RegistryClause(type, numeric, clause.comparator(), checks.number(clause, subject)));
                continue;
            }
            String column = VERSION_STRING_COLUMNS.get(key);
            if (column == null) {
                throw SearchErrors.at(FilterSyntax.FILTER, filter, id.first(), "Invalid attribute key '" + key
                        + "' specified. Valid keys are " + VERSION_VALID_KEYS);
            }
            checks.comparator(clause, STRING_OR_IN, subject);
            if (clause.comparator() != Comparator.IN) {
                clauses.add(new RegistryClause(type, column, clause.comparator(), checks.text(clause, subject)));
            } else if (column.equals("run_id")) {
                clauses.add(new RegistryClause(type, column, Comparator.IN, checks.list(clause, subject)));
            } else {
                throw SearchErrors.at(FilterSyntax.FILTER, filter, clause.comparatorToken(),
                        "Only the 'run_id' attribute supports comparison with a list of quoted string values.");
            }
        }
        return clauses;
    }

    private static RegistryClause tag(FilterSyntax.Clause clause, ClauseChecks checks) {
        String key = clause.identifier().key();
        String subject = "tag '" + key + "'";
        checks.comparator(clause, ClauseChecks.STRING, subject);
        return new RegistryClause(EntityType.TAG, key, clause.comparator(), checks.text(clause, subject));
    }
}
