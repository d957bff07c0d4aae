package io.mlopscore.tracking.validation;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.Metric;
import io.mlopscore.tracking.model.Param;
import io.mlopscore.tracking.model.Tag;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow 2.19's rules for names, values and batch sizes (mlflow/utils/validation.py), with its
 * error wording so that clients and scripts that match on messages keep working.
 */
public final class Validation {
    public static final int MAX_ENTITY_KEY_LENGTH = 250;
    public static final int MAX_PARAM_VAL_LENGTH = 6000;
    public static final int MAX_TAG_VAL_LENGTH = 8000;
    public static final int MAX_EXPERIMENT_TAG_VAL_LENGTH = 5000;
    /**
     * MLflow's validator allows 500, but its experiments.name column is VARCHAR(256): PostgreSQL
     * refuses longer names and SQLite keeps them, so a store would not move between the two.
     * The column decides, on every engine.
     */
    public static final int MAX_EXPERIMENT_NAME_LENGTH = 256;
    /** runs.user_id, experiments.artifact_location: VARCHAR(256) in MLflow's schema. */
    public static final int MAX_USER_ID_LENGTH = 256;
    public static final int MAX_RUN_NAME_LENGTH = 250;
    public static final int MAX_METRICS_PER_BATCH = 1000;
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    public static final int MAX_BATCH_LOG_REQUEST_SIZE = 1024 * 1024;
    public static final int MAX_DATASET_NAME_SIZE = 500;
    public static final int MAX_DATASET_DIGEST_SIZE = 36;
    public static final int MAX_DATASET_SCHEMA_SIZE = 1_048_575;
    public static final int MAX_DATASET_SOURCE_SIZE = 65_535;
    public static final int MAX_DATASET_PROFILE_SIZE = 16_777_215;
    public static final int MAX_INPUT_TAG_KEY_SIZE = 255;
    public static final int MAX_INPUT_TAG_VALUE_SIZE = 500;

    // Letters, digits, underscore, dash, period, space, colon and slash (MLflow's name rule).
    private static final Pattern VALID_NAME = Pattern.compile("^[/\\w.\\- :]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String NAME_RULE = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).";

    private Validation() {}

    public static void metricName(String name) {
        entityName(name, "metric");
    }

    public static void paramName(String name) {
        entityName(name, "parameter");
    }

    public static void tagName(String name) {
        entityName(name, "tag");
    }

    private static void entityName(String name, String kind) {
        if (name == null) {
            throw ApiException.invalid("Missing value for required parameter 'key'. See the API docs for more information about request parameters.");
        }
        if (!VALID_NAME.matcher(name).matches()) {
            throw ApiException.invalid("Invalid " + kind + " name: '" + name + "'. " + NAME_RULE);
        }
        if (pathNotUnique(name)) {
            throw ApiException.invalid("Invalid " + kind + " name: '" + name + "'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '"
                    + normalized(name) + "'");
        }
        keyLength(name);
    }

    public static void keyLength(String key) {
        if (key.length() > MAX_ENTITY_KEY_LENGTH) {
            throw ApiException.invalid("'key' exceeds the maximum length of " + MAX_ENTITY_KEY_LENGTH + " characters");
        }
    }

    /** A name that a file system would read as another name ("a/../b", "./a", "/a", "../a") is refused. */
    static boolean pathNotUnique(String name) {
        String n = normalized(name);
        return !n.equals(name) || n.equals(".") || n.startsWith("..") || n.startsWith("/");
    }

    private static String normalized(String name) {
        if (name.isEmpty()) {
            return ".";
        }
        String n = Path.of(name).normalize().toString();
        return n.isEmpty() ? "." : n;
    }

    /** MLflow 2.19 truncates long param values rather than refusing them (MLFLOW_TRUNCATE_LONG_VALUES). */
    public static String truncateParamValue(String value) {
        return value.length() > MAX_PARAM_VAL_LENGTH ? value.substring(0, MAX_PARAM_VAL_LENGTH) : value;
    }

    public static String truncateRunTagValue(String value) {
        return value != null && value.length() > MAX_TAG_VAL_LENGTH ? value.substring(0, MAX_TAG_VAL_LENGTH) : value;
    }

    public static void userId(String userId) {
        if (userId != null && userId.length() > MAX_USER_ID_LENGTH) {
            throw ApiException.invalid("'user_id' exceeds the maximum length of " + MAX_USER_ID_LENGTH + " characters");
        }
    }

    /** Run names live in runs.name, VARCHAR(250). */
    public static void runName(String name) {
        if (name.length() > MAX_RUN_NAME_LENGTH) {
            throw ApiException.invalid("'run_name' exceeds the maximum length of " + MAX_RUN_NAME_LENGTH + " characters");
        }
    }

    public static void experimentTagValue(String value) {
        if (value != null && value.length() > MAX_EXPERIMENT_TAG_VAL_LENGTH) {
            throw ApiException.invalid("'value' exceeds the maximum length of " + MAX_EXPERIMENT_TAG_VAL_LENGTH + " characters");
        }
    }

    public static void experimentName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid("Invalid experiment name: '" + (name == null ? "" : name) + "'");
        }
        if (name.length() > MAX_EXPERIMENT_NAME_LENGTH) {
            throw ApiException.invalid("'name' exceeds the maximum length of " + MAX_EXPERIMENT_NAME_LENGTH + " characters");
        }
    }

    public static void batchLimits(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        if (metrics.size() > MAX_METRICS_PER_BATCH) {
            throw ApiException.invalid("A batch logging request can contain at most " + MAX_METRICS_PER_BATCH + " metrics. Got " + metrics.size()
                    + " metrics. Please split up metrics across multiple requests and try again.");
        }
        if (params.size() > MAX_PARAMS_TAGS_PER_BATCH) {
            throw ApiException.invalid("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH + " params. Got " + params.size()
                    + " params. Please split up params across multiple requests and try again.");
        }
        if (tags.size() > MAX_PARAMS_TAGS_PER_BATCH) {
            throw ApiException.invalid("A batch logging request can contain at most " + MAX_PARAMS_TAGS_PER_BATCH + " tags. Got " + tags.size()
                    + " tags. Please split up tags across multiple requests and try again.");
        }
        int total = metrics.size() + params.size() + tags.size();
        if (total > MAX_ENTITIES_PER_BATCH) {
            throw ApiException.invalid("A batch logging request can contain at most " + MAX_ENTITIES_PER_BATCH + " total metrics, params, and tags. Got "
                    + total + " entities. Please split up entities across multiple requests and try again.");
        }
    }

    /** Dataset fields have column-size limits; past them MLflow refuses the dataset. */
    public static String datasetField(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw ApiException.invalid("Dataset " + field + " exceeds the maximum length of " + maxLength + " characters (got " + value.length() + ").");
        }
        return value;
    }
}
