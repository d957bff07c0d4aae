package io.mlopscore.tracking.search;

/**
 * One comparison of a search-runs filter, checked against MLflow's rules.
 *
 * @param key the metric, param or tag key; for attributes MLflow's attribute name with aliases
 *            resolved ({@code created} is {@code start_time}); for datasets name, digest or context
 */
public record RunClause(EntityType type, String key, Comparator comparator, FilterValue value) {

    /** The attribute an ATTRIBUTE clause is about. */
    public RunAttribute attribute() {
        return type == EntityType.ATTRIBUTE ? RunAttribute.byName(key) : null;
    }

    /** The dataset field a DATASET clause is about. */
    public DatasetField datasetField() {
        return type == EntityType.DATASET ? DatasetField.byKey(key) : null;
    }
}
