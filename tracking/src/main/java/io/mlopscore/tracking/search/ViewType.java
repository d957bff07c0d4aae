package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.LifecycleStage;
import java.util.List;

/** MLflow's ViewType (service.proto): which lifecycle stages a search returns. */
public enum ViewType {
    ACTIVE_ONLY(1, List.of(LifecycleStage.ACTIVE)),
    DELETED_ONLY(2, List.of(LifecycleStage.DELETED)),
    ALL(3, List.of(LifecycleStage.ACTIVE, LifecycleStage.DELETED));

    private final int number;
    private final List<String> stages;

    ViewType(int number, List<String> stages) {
        this.number = number;
        this.stages = stages;
    }

    /** The proto enum number: 1, 2 or 3. */
    public int number() {
        return number;
    }

    /** The lifecycle_stage values of the rows this view returns. */
    public List<String> lifecycleStages() {
        return stages;
    }

    /**
     * Reads a view type as clients send it: the proto name (ACTIVE_ONLY, DELETED_ONLY, ALL) or
     * number (1, 2, 3). Null or blank is the proto default, ACTIVE_ONLY.
     */
    public static ViewType parse(String text) {
        if (text == null || text.isBlank()) {
            return ACTIVE_ONLY;
        }
        String t = text.strip();
        for (ViewType v : values()) {
            if (v.name().equals(t) || String.valueOf(v.number).equals(t)) {
                return v;
            }
        }
        throw ApiException.invalid("Invalid view type '" + text + "'. Expected one of ACTIVE_ONLY, DELETED_ONLY, ALL (or 1, 2, 3).");
    }

    public static ViewType fromNumber(int number) {
        for (ViewType v : values()) {
            if (v.number == number) {
                return v;
            }
        }
        throw ApiException.invalid("Invalid view type " + number + ". Expected 1 (ACTIVE_ONLY), 2 (DELETED_ONLY) or 3 (ALL).");
    }
}
