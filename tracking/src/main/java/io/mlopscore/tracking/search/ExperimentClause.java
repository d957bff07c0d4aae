package io.mlopscore.tracking.search;

/**
 * One comparison of a search-experiments filter.
 *
 * @param type ATTRIBUTE or TAG
 * @param key  the attribute name (name, creation_time, last_update_time) or the tag key
 */
public record ExperimentClause(EntityType type, String key, Comparator comparator, FilterValue value) {

    public ExperimentAttribute attribute() {
        return type == EntityType.ATTRIBUTE ? ExperimentAttribute.byKey(key) : null;
    }
}
