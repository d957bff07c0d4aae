package io.mlopscore.tracking.search;

/**
 * One comparison of a registered-model or model-version search filter.
 *
 * @param type   ATTRIBUTE or TAG
 * @param column for an attribute, its column (name, run_id, source, version, creation_time,
 *               last_updated_time); for a tag, the tag key
 */
public record RegistryClause(EntityType type, String column, Comparator comparator, FilterValue value) {}
