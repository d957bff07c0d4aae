package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.RunInfo;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.search.PageToken;
import io.mlopscore.tracking.search.RegistrySearchSql;
import io.mlopscore.tracking.search.SqlQuery;
import io.mlopscore.tracking.store.Database;
import io.mlopscore.tracking.store.Dialect;
import io.mlopscore.tracking.store.RunStore;
import io.mlopscore.tracking.store.SearchStore.Page;
import io.mlopscore.tracking.store.Sql;
import io.mlopscore.tracking.store.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The model registry on the tracking store's tables (registered_models, registered_model_tags,
 * model_versions, model_version_tags, registered_model_aliases), with MLflow 2.19's SQL store
 * semantics. Every change is one {@link Database#write} (SQLite: through the group-commit writer;
 * PostgreSQL: one transaction), and everything is checked before it, so a refused request
 * writes nothing. {@link RegistryEvents} hear of alias and stage changes once committed.
 *
 * <pre>{@code
 * RegistryStore registry = new RegistryStore(db, runs);
 * registry.createRegisteredModel("churn", List.of(), "");
 * ModelVersion v = registry.createModelVersion("churn", "s3://bucket/churn/model", "", List.of(), "", "");
 * registry.setAlias("churn", "champion", "1");
 * ResolvedModel m = registry.resolve("models:/churn@champion");  // version "1", download URI, run id
 * String uri = registry.downloadUri("churn", "1");               // what get-download-uri answers
 * }</pre>
 */
public final class RegistryStore {
    private final Database db;
    private final Function<String, RunInfo> runs;
    private final RegistryEvents events;
    private final ModelResolver resolver;

    public RegistryStore(Database db, RunStore runs) {
        this(db, runs, RegistryEvents.NONE);
    }

    public RegistryStore(Database db, RunStore runs, RegistryEvents events) {
        this.db = db;
        this.runs = runs::getInfo;
        this.events = events == null ? RegistryEvents.NONE : events;
        this.resolver = new ModelResolver(db);
    }

    // ---- registered models ----

    public RegisteredModel createRegisteredModel(String name, List<Tag> tags, String description) {
        RegistryValidation.modelName(name);
        RegistryValidation.tags(tags);
        RegistryValidation.description(description);
        return db.write(c -> {
            if (RegistryReads.modelRow(c, name) != null) {
                throw RegistryErrors.modelExists(name);
            }
            long now = System.currentTimeMillis();
            try {
                Sql.update(c, "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)",
                        name, now, now, description);
            } catch (SQLException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    throw RegistryErrors.modelExists(name); // a concurrent create won
                }
                throw e;
            }
            for (Tag t : lastValuePerKey(tags)) {
                Sql.update(c, "INSERT INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)", t.key(), t.value(), name);
            }
            return RegistryReads.requireModel(c, name);
        });
    }

    public RegisteredModel getRegisteredModel(String name) {
        RegistryValidation.modelName(name);
        return db.read(c -> RegistryReads.requireModel(c, name));
    }

    /** Renames the model and moves its versions, tags and aliases (soft-deleted versions too). */
    public RegisteredModel renameRegisteredModel(String name, String newName) {
        RegistryValidation.modelName(name);
        RegistryValidation.modelName(newName);
        PendingEvents pending = new PendingEvents();
        RegisteredModel renamed = db.write(c -> {
            RegisteredModel old = lockModel(c, name);
            long now = System.currentTimeMillis();
            if (newName.equals(name)) { // MLflow allows it: only the update times move
                Sql.update(c, "UPDATE model_versions SET last_updated_time = ? WHERE name = ?", now, name);
                Sql.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
                return RegistryReads.requireModel(c, name);
            }
            if (RegistryReads.modelRow(c, newName) != null) {
                throw RegistryErrors.modelExists(newName);
            }
            pending.removalOf(c, name);
            // A new parent row, the children moved onto it, the old row dropped: correct whether or
            // not the engine enforces (and cascades) the foreign keys.
            try {
                Sql.update(c, "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)",
                        newName, old.creationTimestamp(), now, old.description());
            } catch (SQLException e) {
                if (SqlErrors.isUniqueViolation(e)) {
                    throw RegistryErrors.modelExists(newName);
                }
                throw e;
            }
            Sql.update(c, "UPDATE model_versions SET name = ?, last_updated_time = ? WHERE name = ?", newName, now, name);
            Sql.update(c, "UPDATE model_version_tags SET name = ? WHERE name = ?", newName, name);
            Sql.update(c, "UPDATE registered_model_tags SET name = ? WHERE name = ?", newName, name);
            Sql.update(c, "UPDATE registered_model_aliases SET name = ? WHERE name = ?", newName, name);
            Sql.update(c, "DELETE FROM registered_models WHERE name = ?", name);
            pending.arrivalOf(c, newName);
            return RegistryReads.requireModel(c, newName);
        });
        pending.fire(events);
        return renamed;
    }

    /** Sets the description ("" when the request has none, which MLflow then renders as absent). */
    public RegisteredModel updateRegisteredModel(String name, String description) {
        RegistryValidation.modelName(name);
        RegistryValidation.description(description);
        return db.write(c -> {
            RegistryReads.requireModelRow(c, name);
            Sql.update(c, "UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?",
                    description == null ? "" : description, System.currentTimeMillis(), name);
            return RegistryReads.requireModel(c, name);
        });
    }

    /** A hard delete: the model, all its versions (soft-deleted too), their tags and the aliases go. */
    public void deleteRegisteredModel(String name) {
        RegistryValidation.modelName(name);
        PendingEvents pending = new PendingEvents();
        db.write(c -> {
            lockModel(c, name);
            pending.removalOf(c, name);
            Sql.update(c, "DELETE FROM model_version_tags WHERE name = ?", name);
            Sql.update(c, "DELETE FROM registered_model_aliases WHERE name = ?", name);
            Sql.update(c, "DELETE FROM model_versions WHERE name = ?", name);
            Sql.update(c, "DELETE FROM registered_model_tags WHERE name = ?", name);
            Sql.update(c, "DELETE FROM registered_models WHERE name = ?", name);
            return null;
        });
        pending.fire(events);
    }

    /**
     * @param maxResults null for MLflow's default of 100; 1..1000
     */
    public Page<RegisteredModel> searchRegisteredModels(String filter, Long maxResults, List<String> orderBy, String pageToken) {
        long max = maxResults == null ? RegistrySearchSql.MODELS_MAX_RESULTS_DEFAULT : maxResults;
        RegistrySearchSql.checkModelsMaxResults(max);
        int offset = PageToken.decode(pageToken);
        SqlQuery query = RegistrySearchSql.registeredModels(filter, orderBy, (int) max + 1, offset, db.dialect());
        return db.read(c -> {
            List<String> names = Sql.query(c, query, rs -> rs.getString(1));
            String next = PageToken.nextForExperiments(offset, (int) max, names.size());
            return new Page<>(RegistryReads.models(c, names.size() > max ? names.subList(0, (int) max) : names), next);
        });
    }

    /** The highest live version of each stage asked for (all four when none is), aliases included. */
    public List<ModelVersion> getLatestVersions(String name, List<String> stages) {
        RegistryValidation.modelName(name);
        Set<String> wanted = new LinkedHashSet<>();
        (stages == null || stages.isEmpty() ? ModelStages.ALL : stages).forEach(s -> wanted.add(ModelStages.canonical(s)));
        return db.read(c -> {
            RegistryReads.requireModelRow(c, name);
            List<ModelVersion> out = new ArrayList<>();
            for (ModelVersion v : RegistryReads.latestVersions(c, List.of(name)).getOrDefault(name, List.of())) {
                if (wanted.contains(v.currentStage())) {
                    out.add(v.withAliases(RegistryReads.aliasesOf(c, name, v.version())));
                }
            }
            return out;
        });
    }

    public void setRegisteredModelTag(String name, Tag tag) {
        RegistryValidation.modelName(name);
        RegistryValidation.tag(tag);
        db.write(c -> {
            RegistryReads.requireModelRow(c, name);
            if (Sql.update(c, "UPDATE registered_model_tags SET value = ? WHERE name = ? AND key = ?", tag.value(), name, tag.key()) == 0) {
                Sql.update(c, "INSERT INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)", tag.key(), tag.value(), name);
            }
            return null;
        });
    }

    /** A missing key is not an error, as in MLflow; a missing model is. */
    public void deleteRegisteredModelTag(String name, String key) {
        RegistryValidation.modelName(name);
        RegistryValidation.tagKey(key);
        db.write(c -> {
            RegistryReads.requireModelRow(c, name);
            return Sql.update(c, "DELETE FROM registered_model_tags WHERE name = ? AND key = ?", name, key);
        });
    }

    // ---- aliases ----

    /** Points the alias at a live version, moving it if it pointed elsewhere. */
    public void setAlias(String name, String alias, String version) {
        RegistryValidation.modelName(name);
        RegistryValidation.alias(alias);
        int v = RegistryValidation.version(name, version);
        db.write(c -> {
            lockModel(c, name);
            RegistryReads.requireLiveVersionRow(c, name, v);
            if (Sql.update(c, "UPDATE registered_model_aliases SET version = ? WHERE name = ? AND alias = ?", v, name, alias) == 0) {
                Sql.update(c, "INSERT INTO registered_model_aliases (alias, version, name) VALUES (?, ?, ?)", alias, v, name);
            }
            return null;
        });
        PendingEvents.of(e -> e.aliasChanged(name, alias, Integer.toString(v))).fire(events);
    }

    /** A missing alias is not an error, as in MLflow; a missing model is. */
    public void deleteAlias(String name, String alias) {
        RegistryValidation.modelName(name);
        RegistryValidation.alias(alias);
        int removed = db.write(c -> {
            lockModel(c, name);
            return Sql.update(c, "DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?", name, alias);
        });
        if (removed > 0) {
            PendingEvents.of(e -> e.aliasChanged(name, alias, null)).fire(events);
        }
    }

    /** A missing alias, or model, is a 400 as in MLflow. */
    public ModelVersion getModelVersionByAlias(String name, String alias) {
        RegistryValidation.modelName(name);
        return db.read(c -> RegistryReads.requireVersion(c, name, ModelResolver.aliasTarget(c, name, alias)));
    }

    // ---- model versions ----

    /**
     * Registers a new version, numbered one past the highest ever given to the model (deleted
     * ones included, so numbers are never reused). The source is checked first
     * ({@link SourceValidation}); a {@code models:/} source records where that model is stored.
     *
     * @param runId   "" when the request has none, as MLflow stores it
     * @param runLink "" when the request has none
     */
    public ModelVersion createModelVersion(String name, String source, String runId, List<Tag> tags, String runLink, String description) {
        RegistryValidation.modelName(name);
        RegistryValidation.versionFields(source, runId, runLink);
        RegistryValidation.description(description);
        RegistryValidation.tags(tags);
        SourceValidation.check(source, runId, runs);
        String storageLocation = storageLocationOf(source);
        ModelVersion created = db.write(c -> {
            lockModel(c, name);
            Integer highest = Sql.queryOne(c, "SELECT MAX(version) FROM model_versions WHERE name = ?", rs -> {
                int v = rs.getInt(1);
                return rs.wasNull() ? null : v;
            }, name);
            int version = highest == null ? 1 : highest + 1;
            long now = System.currentTimeMillis();
            Sql.update(c, "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, "
                    + "source, run_id, status, status_message, run_link, storage_location) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 'READY', NULL, ?, ?)",
                    name, version, now, now, description, ModelStages.NONE, source, runId, runLink, storageLocation);
            for (Tag t : lastValuePerKey(tags)) {
                Sql.update(c, "INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)", t.key(), t.value(), name, version);
            }
            Sql.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            return RegistryReads.requireVersion(c, name, version);
        });
        PendingEvents.of(e -> e.stageChanged(name, Integer.toString(created.version()), ModelStages.NONE)).fire(events);
        return created;
    }

    /** @param description the new description, or null to leave it as it is */
    public ModelVersion updateModelVersion(String name, String version, String description) {
        RegistryValidation.modelName(name);
        int v = RegistryValidation.version(name, version);
        RegistryValidation.description(description);
        return db.write(c -> {
            lockModel(c, name);
            RegistryReads.requireLiveVersionRow(c, name, v);
            long now = System.currentTimeMillis();
            if (description != null) {
                Sql.update(c, "UPDATE model_versions SET description = ? WHERE name = ? AND version = ?", description, name, v);
            }
            Sql.update(c, "UPDATE model_versions SET last_updated_time = ? WHERE name = ? AND version = ?", now, name, v);
            return RegistryReads.requireVersion(c, name, v);
        });
    }

    /**
     * Moves a version to a stage (any case). With {@code archiveExisting}, allowed only for
     * Staging and Production, the model's other versions in that stage become Archived.
     */
    public ModelVersion transitionStage(String name, String version, String stage, boolean archiveExisting) {
        RegistryValidation.modelName(name);
        String target = ModelStages.canonical(stage);
        if (archiveExisting && !ModelStages.ACTIVE.contains(target)) {
            throw ApiException.invalid("Model version transition cannot archive existing model versions because '" + stage
                    + "' is not an Active stage. Valid stages are ['Staging', 'Production']");
        }
        int v = RegistryValidation.version(name, version);
        PendingEvents pending = new PendingEvents();
        ModelVersion moved = db.write(c -> {
            lockModel(c, name);
            RegistryReads.requireLiveVersionRow(c, name, v);
            long now = System.currentTimeMillis();
            if (archiveExisting) {
                List<Integer> others = Sql.query(c, "SELECT version FROM model_versions WHERE name = ? AND version <> ? AND current_stage = ?",
                        rs -> rs.getInt(1), name, v, target);
                for (int other : others) {
                    Sql.update(c, "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?",
                            ModelStages.ARCHIVED, now, name, other);
                    pending.add(e -> e.stageChanged(name, Integer.toString(other), ModelStages.ARCHIVED));
                }
            }
            Sql.update(c, "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?", target, now, name, v);
            Sql.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            return RegistryReads.requireVersion(c, name, v);
        });
        pending.addFirst(e -> e.stageChanged(name, Integer.toString(v), target));
        pending.fire(events);
        return moved;
    }

    /**
     * A soft delete, as MLflow's: the version keeps its number (never reused) but is hidden, its
     * source, run and link are redacted, and the aliases pointing at it are removed.
     */
    public void deleteModelVersion(String name, String version) {
        RegistryValidation.modelName(name);
        int v = RegistryValidation.version(name, version);
        List<String> aliases = db.write(c -> {
            lockModel(c, name);
            RegistryReads.requireLiveVersionRow(c, name, v);
            List<String> removed = RegistryReads.aliasesOf(c, name, v);
            long now = System.currentTimeMillis();
            Sql.update(c, "DELETE FROM registered_model_aliases WHERE name = ? AND version = ?", name, v);
            Sql.update(c, "UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL, "
                    + "source = 'REDACTED-SOURCE-PATH', run_id = 'REDACTED-RUN-ID', run_link = 'REDACTED-RUN-LINK', status_message = NULL "
                    + "WHERE name = ? AND version = ?", ModelStages.DELETED_INTERNAL, now, name, v);
            Sql.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE name = ?", now, name);
            return removed;
        });
        PendingEvents pending = new PendingEvents();
        pending.add(e -> e.stageChanged(name, Integer.toString(v), ModelStages.DELETED_INTERNAL));
        aliases.forEach(a -> pending.add(e -> e.aliasChanged(name, a, null)));
        pending.fire(events);
    }

    public ModelVersion getModelVersion(String name, String version) {
        RegistryValidation.modelName(name);
        int v = RegistryValidation.version(name, version);
        return db.read(c -> RegistryReads.requireVersion(c, name, v));
    }

    /**
     * Live versions matching the filter, with their tags; no aliases (as MLflow's search).
     *
     * @param maxResults null for the REST default of 200000; 1..200000
     */
    public Page<ModelVersion> searchModelVersions(String filter, Long maxResults, List<String> orderBy, String pageToken) {
        long max = maxResults == null ? RegistrySearchSql.VERSIONS_MAX_RESULTS_DEFAULT : maxResults;
        RegistrySearchSql.checkVersionsMaxResults(max);
        int offset = PageToken.decode(pageToken);
        SqlQuery query = RegistrySearchSql.modelVersions(filter, orderBy, (int) max + 1, offset, db.dialect());
        return db.read(c -> {
            List<ModelVersion> rows = Sql.query(c, query, RegistryReads::versionRow);
            String next = PageToken.nextForExperiments(offset, (int) max, rows.size());
            return new Page<>(RegistryReads.withTags(c, rows.size() > max ? rows.subList(0, (int) max) : rows), next);
        });
    }

    /**
     * Where a version's files are, as get-download-uri answers: its storage location when one
     * was recorded (a {@code models:/} source), else its source. Unknown, deleted or
     * non-integer versions fail as MLflow's do: 404 {@code Model Version (name=…, version=…) not found},
     * 400 for a version that is not an integer.
     */
    public String downloadUri(String name, String version) {
        RegistryValidation.modelName(name);
        int v = RegistryValidation.version(name, version);
        return db.read(c -> RegistryReads.requireLiveVersionRow(c, name, v).downloadUri());
    }

    public void setModelVersionTag(String name, String version, Tag tag) {
        RegistryValidation.modelName(name);
        int v = RegistryValidation.version(name, version);
        RegistryValidation.tag(tag);
        db.write(c -> {
            lockModel(c, name);
            RegistryReads.requireLiveVersionRow(c, name, v);
            if (Sql.update(c, "UPDATE model_version_tags SET value = ? WHERE name = ? AND version = ? AND key = ?",
                    tag.value(), name, v, tag.key()) == 0) {
                Sql.update(c, "INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)", tag.key(), tag.value(), name, v);
            }
            return null;
        });
    }

    /** A missing key is not an error, as in MLflow; a missing version is. */
    public void deleteModelVersionTag(String name, String version, String key) {
        RegistryValidation.modelName(name);
        int v = RegistryValidation.version(name, version);
        RegistryValidation.tagKey(key);
        db.write(c -> {
            lockModel(c, name);
            RegistryReads.requireLiveVersionRow(c, name, v);
            return Sql.update(c, "DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?", name, v, key);
        });
    }

    // ---- models:/ URIs ----

    /** Resolves a {@code models:/} URI in one read; see {@link ModelUri} for the forms and {@link ModelResolver}. */
    public ResolvedModel resolve(String modelUri) {
        return resolver.resolve(modelUri);
    }

    public ResolvedModel resolve(ModelUri uri) {
        return resolver.resolve(uri);
    }

    /** The resolver on this store's database, for callers that only resolve (the model server). */
    public ModelResolver resolver() {
        return resolver;
    }

    // ---- helpers ----

    /**
     * The model row, locked until the transaction ends on PostgreSQL, so that the changes to one
     * model and its versions take turns: concurrent creations each see the numbers the previous
     * one used, and no alias, tag or description lands on a version deleted at the same moment.
     * SQLite needs no lock: its one writer runs them in turn.
     */
    private RegisteredModel lockModel(Connection c, String name) throws SQLException {
        if (db.dialect() == Dialect.POSTGRESQL) {
            Sql.queryOne(c, "SELECT name FROM registered_models WHERE name = ? FOR UPDATE", rs -> rs.getString(1), name);
        }
        return RegistryReads.requireModelRow(c, name);
    }

    /** For a {@code models:/} source, where the version it names is stored; otherwise null. */
    private String storageLocationOf(String source) {
        if (!UriParts.split(source, true).scheme().equals("models")) {
            return null;
        }
        try {
            return resolve(source).downloadUri();
        } catch (ApiException e) {
            throw ApiException.invalid("Unable to fetch model from model URI source artifact location '" + source + "'.Error: " + e.getMessage());
        }
    }

    /** Repeated keys in one request: the last value wins (MLflow would fail on the primary key). */
    private static List<Tag> lastValuePerKey(List<Tag> tags) {
        Map<String, Tag> byKey = new LinkedHashMap<>();
        tags.forEach(t -> byKey.put(t.key(), t));
        return new ArrayList<>(byKey.values());
    }
}
