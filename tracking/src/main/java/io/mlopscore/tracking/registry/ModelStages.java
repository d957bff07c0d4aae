package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;
import java.util.List;
import java.util.Locale;

/** MLflow's model version stages; names are matched case-insensitively and stored canonical. */
public final class ModelStages {
    public static final String NONE = "None";
    public static final String STAGING = "Staging";
    public static final String PRODUCTION = "Production";
    public static final String ARCHIVED = "Archived";
    /** The stage of a soft-deleted version: hidden from every read. */
    public static final String DELETED_INTERNAL = "Deleted_Internal";

    /** The stages a client may name, in MLflow's order. */
    public static final List<String> ALL = List.of(NONE, STAGING, PRODUCTION, ARCHIVED);
    /** The stages archive_existing_versions may be used with. */
    public static final List<String> ACTIVE = List.of(STAGING, PRODUCTION);

    private ModelStages() {}

    /** The canonical spelling of a stage ("production" → "Production"); a 400 for any other name. */
    public static String canonical(String stage) {
        if (stage != null) {
            String key = stage.toLowerCase(Locale.ROOT);
            for (String s : ALL) {
                if (s.toLowerCase(Locale.ROOT).equals(key)) {
                    return s;
                }
            }
        }
        throw ApiException.invalid("Invalid Model Version stage: " + stage + ". Value must be one of "
                + String.join(", ", ALL) + ".");
    }
}
