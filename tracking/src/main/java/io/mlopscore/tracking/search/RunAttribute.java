package io.mlopscore.tracking.search;

import java.util.Map;

/**
 * The run attributes MLflow 2.19 searches and orders by (RunInfo's searchable attributes), with
 * the runs-table column of each. Aliases: {@code created}/{@code Created} for start_time (filter
 * and order_by), {@code run name}/{@code Run name}/{@code Run Name} for run_name (filter only).
 */
public enum RunAttribute {
    ARTIFACT_URI("artifact_uri", "artifact_uri", false),
    END_TIME("end_time", "end_time", true),
    RUN_ID("run_id", "run_uuid", false),
    RUN_NAME("run_name", "name", false),
    START_TIME("start_time", "start_time", true),
    STATUS("status", "status", false),
    USER_ID("user_id", "user_id", false);

    static final String VALID_FILTER_KEYS = "[artifact_uri, end_time, run_id, run_name, start_time, status, "
            + "user_id, created, Created, run name, Run name, Run Name]";
    static final String VALID_ORDER_BY_KEYS = "[artifact_uri, end_time, run_id, run_name, start_time, status, "
            + "user_id, created, Created]";

    private static final Map<String, RunAttribute> FILTER_ALIASES = Map.of(
            "created", START_TIME, "Created", START_TIME,
            "run name", RUN_NAME, "Run name", RUN_NAME, "Run Name", RUN_NAME);
    private static final Map<String, RunAttribute> ORDER_BY_ALIASES = Map.of("created", START_TIME, "Created", START_TIME);

    private final String mlflowName;
    private final String column;
    private final boolean numeric;

    RunAttribute(String mlflowName, String column, boolean numeric) {
        this.mlflowName = mlflowName;
        this.column = column;
        this.numeric = numeric;
    }

    public String mlflowName() {
        return mlflowName;
    }

    /** The column of the runs table holding it. */
    public String column() {
        return column;
    }

    /** start_time and end_time take numbers and numeric comparators; the rest are strings. */
    public boolean numeric() {
        return numeric;
    }

    static RunAttribute forFilter(String key) {
        RunAttribute alias = FILTER_ALIASES.get(key);
        return alias != null ? alias : byName(key);
    }

    static RunAttribute forOrderBy(String key) {
        RunAttribute alias = ORDER_BY_ALIASES.get(key);
        return alias != null ? alias : byName(key);
    }

    static RunAttribute byName(String mlflowName) {
        for (RunAttribute a : values()) {
            if (a.mlflowName.equals(mlflowName)) {
                return a;
            }
        }
        return null;
    }
}
