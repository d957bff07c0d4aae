package io.mlopscore.tracking.model;

/** The two lifecycle stages MLflow stores for experiments and runs. */
public final class LifecycleStage {
    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    private LifecycleStage() {}
}
