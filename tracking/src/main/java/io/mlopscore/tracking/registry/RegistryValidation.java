package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.validation.Validation;
import java.util.List;
import java.util.regex.Pattern;

/**
 * MLflow 2.19's rules for registry names, aliases, versions and tags, with its messages. Where
 * MLflow leaves a value to the column width (PostgreSQL refuses it, SQLite keeps it), the width is
 * checked here, so both engines answer the same 400 before anything is written.
 */
public final class RegistryValidation {
    public static final int MAX_MODEL_NAME_LENGTH = 256;
    public static final int MAX_ALIAS_LENGTH = 255;
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_DESCRIPTION_LENGTH = 5000;
    public static final int MAX_SOURCE_LENGTH = 500;
    public static final int MAX_RUN_LINK_LENGTH = 500;
    public static final int MAX_RUN_ID_LENGTH = 32;

    // Python's \w is Unicode-aware, as is this with UNICODE_CHARACTER_CLASS.
    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("^[vV]\\d+$");
    private static final Pattern INTEGER = Pattern.compile("^\\s*[+-]?\\d+\\s*$");

    private RegistryValidation() {}

    public static void modelName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid("Registered model name cannot be empty.");
        }
        maxLength("name", name, MAX_MODEL_NAME_LENGTH);
        if (name.indexOf('\0') >= 0) {
            // PostgreSQL cannot store it; refused on SQLite too so both engines answer alike.
            throw ApiException.invalid("Registered model name cannot contain a NUL character.");
        }
    }

    /**
     * A version number as MLflow reads it (Python's int()): "1", " 2 ", "+3", "007". A version that
     * is an integer too large to exist is reported as not found, like any other missing version.
     */
    public static int version(String name, String version) {
        if (version == null || !INTEGER.matcher(version).matches()) {
            throw ApiException.invalid("Model version must be an integer, got '" + version + "'");
        }
        try {
            return Integer.parseInt(version.strip());
        } catch (NumberFormatException tooLarge) {
            throw RegistryErrors.versionNotFound(name, version);
        }
    }

    public static void alias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw ApiException.invalid("Registered model alias name cannot be empty.");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw ApiException.invalid("Invalid alias name: '" + alias + "'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }
        if (alias.length() > MAX_ALIAS_LENGTH) {
            throw ApiException.invalid("'Registered model alias name' exceeds the maximum length of " + MAX_ALIAS_LENGTH + " characters");
        }
        if (alias.equalsIgnoreCase("latest")) {
            throw ApiException.invalid("'latest' alias name (case insensitive) is reserved.");
        }
        if (VERSION_ALIAS.matcher(alias).matches()) {
            throw ApiException.invalid("Version alias name '" + alias + "' is reserved.");
        }
    }

    /** Registered model and model version tags: run-tag key rules, values up to 5000 characters. */
    public static void tag(Tag tag) {
        tagKey(tag.key());
        if (tag.value() != null) {
            maxLength("value", tag.value(), MAX_TAG_VALUE_LENGTH);
        }
    }

    public static void tags(List<Tag> tags) {
        tags.forEach(RegistryValidation::tag);
    }

    public static void tagKey(String key) {
        if (key == null) {
            throw ApiException.invalid("Tag name cannot be None. A key name must be provided.");
        }
        Validation.tagName(key);
    }

    public static void description(String description) {
        if (description != null) {
            maxLength("description", description, MAX_DESCRIPTION_LENGTH);
        }
    }

    /** The width checks of create-model-version's free-text fields. */
    public static void versionFields(String source, String runId, String runLink) {
        maxLength("source", source, MAX_SOURCE_LENGTH);
        if (runId != null) {
            maxLength("run_id", runId, MAX_RUN_ID_LENGTH);
        }
        if (runLink != null) {
            maxLength("run_link", runLink, MAX_RUN_LINK_LENGTH);
        }
    }

    private static void maxLength(String field, String value, int limit) {
        if (value.length() > limit) {
            throw ApiException.invalid("'" + field + "' exceeds the maximum length of " + limit + " characters");
        }
    }
}
