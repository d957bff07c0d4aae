package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One order_by term of a registry search, by column, with MLflow 2.19's keys, defaults and
 * tie-breaks:
 * <ul>
 *   <li>registered models: {@code name}, and {@code timestamp} or {@code last_updated_timestamp}
 *       (both the last update time; creation time is not sortable); then name ASC;</li>
 *   <li>model versions: {@code name}, {@code version_number}, {@code creation_timestamp},
 *       {@code last_updated_timestamp}; by default last_updated_timestamp DESC, name ASC,
 *       version_number DESC; then name ASC and version DESC unless already ordered by.</li>
 * </ul>
 * A column named twice is refused (MLflow: "`order_by` contains duplicate fields", with a 500;
 * here a 400).
 */
public record RegistryOrderBy(String column, boolean ascending) {
    static final Map<String, String> MODEL_KEYS = Map.of("name", "name", "timestamp", "last_updated_time",
            "last_updated_timestamp", "last_updated_time");
    static final Map<String, String> VERSION_KEYS = Map.of("name", "name", "version_number", "version",
            "creation_timestamp", "creation_time", "last_updated_timestamp", "last_updated_time");
    static final List<String> VERSION_DEFAULT = List.of("last_updated_timestamp DESC", "name ASC", "version_number DESC");

    public static List<RegistryOrderBy> parseForModels(List<String> orderBy) {
        List<RegistryOrderBy> terms = parse(orderBy == null ? List.of() : orderBy, MODEL_KEYS, "['name', 'timestamp', 'last_updated_timestamp']");
        if (terms.stream().noneMatch(t -> t.column().equals("name"))) {
            terms.add(new RegistryOrderBy("name", true));
        }
        return terms;
    }

    public static List<RegistryOrderBy> parseForVersions(List<String> orderBy) {
        List<String> given = orderBy == null || orderBy.isEmpty() ? VERSION_DEFAULT : orderBy;
        List<RegistryOrderBy> terms = parse(given, VERSION_KEYS,
                "['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp']");
        if (terms.stream().noneMatch(t -> t.column().equals("name"))) {
            terms.add(new RegistryOrderBy("name", true));
        }
        if (terms.stream().noneMatch(t -> t.column().equals("version"))) {
            terms.add(new RegistryOrderBy("version", false));
        }
        return terms;
    }

    private static List<RegistryOrderBy> parse(List<String> orderBy, Map<String, String> keys, String validKeys) {
        List<RegistryOrderBy> terms = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String clause : orderBy) {
            FilterSyntax.OrderTerm term = FilterSyntax.parseOrderBy(clause);
            FilterSyntax.Identifier id = term.identifier();
            EntityType type = ExperimentFilterParser.entityType(id, clause, FilterSyntax.ORDER_BY);
            String column = type == EntityType.ATTRIBUTE ? keys.get(id.key()) : null;
            if (column == null) {
                throw SearchErrors.at(FilterSyntax.ORDER_BY, clause, id.first(), "Invalid order by key '"
                        + (type == EntityType.ATTRIBUTE ? id.key() : id.text()) + "' specified. Valid keys are " + validKeys);
            }
            if (!seen.add(column)) {
                throw ApiException.invalid("`order_by` contains duplicate fields: " + orderBy);
            }
            terms.add(new RegistryOrderBy(column, term.ascending()));
        }
        return terms;
    }
}
