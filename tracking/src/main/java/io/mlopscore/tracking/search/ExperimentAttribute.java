package io.mlopscore.tracking.search;

/** The experiment attributes search-experiments filters (all but experiment_id) and orders by. */
public enum ExperimentAttribute {
    NAME("name", false, true),
    EXPERIMENT_ID("experiment_id", true, false),
    CREATION_TIME("creation_time", true, true),
    LAST_UPDATE_TIME("last_update_time", true, true);

    static final String VALID_FILTER_KEYS = "[name, creation_time, last_update_time]";
    static final String VALID_ORDER_BY_KEYS = "[name, experiment_id, creation_time, last_update_time]";

    private final String key;
    private final boolean numeric;
    private final boolean filterable;

    ExperimentAttribute(String key, boolean numeric, boolean filterable) {
        this.key = key;
        this.numeric = numeric;
        this.filterable = filterable;
    }

    /** The attribute's name, which is also its column of the experiments table. */
    public String key() {
        return key;
    }

    public boolean numeric() {
        return numeric;
    }

    static ExperimentAttribute forFilter(String key) {
        ExperimentAttribute a = byKey(key);
        return a != null && a.filterable ? a : null;
    }

    static ExperimentAttribute byKey(String key) {
        for (ExperimentAttribute a : values()) {
            if (a.key.equals(key)) {
                return a;
            }
        }
        return null;
    }
}
