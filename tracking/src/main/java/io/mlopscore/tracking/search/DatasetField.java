package io.mlopscore.tracking.search;

/** The dataset keys of search-runs filters: a dataset's name and digest, and its input's context tag. */
public enum DatasetField {
    NAME("name"),
    DIGEST("digest"),
    /** The value of the input tag {@code mlflow.data.context} (e.g. "train") of the run's dataset input. */
    CONTEXT("context");

    static final String VALID_KEYS = "[name, digest, context]";
    /** The input tag that holds a dataset input's context. */
    static final String CONTEXT_TAG = "mlflow.data.context";

    private final String key;

    DatasetField(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    static DatasetField byKey(String key) {
        for (DatasetField f : values()) {
            if (f.key.equals(key)) {
                return f;
            }
        }
        return null;
    }
}
