package io.mlopscore.tracking.search;

import java.util.List;

/** What the left-hand side of a clause names, with the prefixes MLflow accepts for each. */
public enum EntityType {
    METRIC("metric", List.of("metric", "metrics")),
    PARAM("parameter", List.of("parameter", "parameters", "param", "params")),
    TAG("tag", List.of("tag", "tags")),
    ATTRIBUTE("attribute", List.of("attribute", "attributes", "attr", "run")),
    DATASET("dataset", List.of("dataset", "datasets"));

    /** MLflow's canonical names, listed in its "Invalid entity type" message. */
    static final String VALID_NAMES = "[metric, parameter, tag, attribute, dataset]";

    private final String mlflowName;
    private final List<String> prefixes;

    EntityType(String mlflowName, List<String> prefixes) {
        this.mlflowName = mlflowName;
        this.prefixes = prefixes;
    }

    /** MLflow's canonical name: metric, parameter, tag, attribute or dataset. */
    public String mlflowName() {
        return mlflowName;
    }

    /** The entity a search-runs prefix stands for (case-sensitive, as in MLflow); null if none. */
    static EntityType fromPrefix(String prefix) {
        for (EntityType type : values()) {
            if (type.prefixes.contains(prefix)) {
                return type;
            }
        }
        return null;
    }
}
