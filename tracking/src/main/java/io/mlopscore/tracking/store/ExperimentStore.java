package io.mlopscore.tracking.store;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import io.mlopscore.tracking.model.Experiment;
import io.mlopscore.tracking.model.LifecycleStage;
import io.mlopscore.tracking.model.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Experiments and their tags: the SQL and the rules MLflow's SQL store applies to them. */
public final class ExperimentStore {
    private final Database db;
    private final String defaultArtifactRoot;

    public ExperimentStore(Database db, String defaultArtifactRoot) {
        this.db = db;
        this.defaultArtifactRoot = defaultArtifactRoot;
    }

    public String create(String name, String artifactLocation, List<Tag> tags) {
        return db.write(c -> {
            if (Sql.queryOne(c, "SELECT experiment_id FROM experiments WHERE name = ?", rs -> rs.getLong(1), name) != null) {
                throw ApiException.alreadyExists("Experiment(name=" + name + ") already exists. Error: (UNIQUE constraint failed: experiments.name)");
            }
            long now = System.currentTimeMillis();
            long id;
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (?, ?, 'active', ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                Sql.bind(p, name, artifactLocation, now, now);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            String experimentId = Long.toString(id);
            if (artifactLocation == null || artifactLocation.isEmpty()) {
                Sql.update(c, "UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?",
                        ArtifactLocations.experimentLocation(defaultArtifactRoot, experimentId), id);
            }
            for (Tag t : tags) {
                Sql.update(c, "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)", t.key(), t.value(), id);
            }
            return experimentId;
        });
    }

    public Experiment get(String experimentId) {
        long id = parseId(experimentId);
        Experiment e = db.read(c -> load(c, id));
        if (e == null) {
            throw notFound(experimentId);
        }
        return e;
    }

    public Experiment getByName(String name) {
        Experiment e = db.read(c -> {
            Long id = Sql.queryOne(c, "SELECT experiment_id FROM experiments WHERE name = ?", rs -> rs.getLong(1), name);
            return id == null ? null : load(c, id);
        });
        if (e == null) {
            throw ApiException.notFound("Could not find experiment with name '" + name + "'");
        }
        return e;
    }

    /** Loads experiments by id, in the order given, with their tags in one more query. */
    public List<Experiment> getMany(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        String in = Sql.placeholders(ids.size());
        Map<Long, List<Tag>> tags = new HashMap<>();
        for (Object[] row : Sql.query(c, "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (" + in + ")",
                rs -> new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)}, Sql.args(ids))) {
            tags.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add(new Tag((String) row[1], (String) row[2]));
        }
        Map<Long, Experiment> byId = new LinkedHashMap<>();
        for (Experiment e : Sql.query(c, "SELECT * FROM experiments WHERE experiment_id IN (" + in + ")",
                rs -> row(rs, tags.getOrDefault(rs.getLong("experiment_id"), List.of())), Sql.args(ids))) {
            byId.put(Long.parseLong(e.experimentId()), e);
        }
        List<Experiment> out = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Experiment e = byId.get(id);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    public void rename(String experimentId, String newName) {
        long id = parseId(experimentId);
        db.write(c -> {
            Experiment e = requireExisting(c, experimentId, id);
            if (!LifecycleStage.ACTIVE.equals(e.lifecycleStage())) {
                // MLflow answers INVALID_STATE with a 500; the client's mistake gets a 400 here.
                throw new ApiException(ErrorCode.INVALID_STATE, 400, "Cannot rename a non-active experiment.");
            }
            Long other = Sql.queryOne(c, "SELECT experiment_id FROM experiments WHERE name = ?", rs -> rs.getLong(1), newName);
            if (other != null && other != id) {
                throw ApiException.alreadyExists("Experiment(name=" + newName + ") already exists. Error: (UNIQUE constraint failed: experiments.name)");
            }
            Sql.update(c, "UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?", newName, System.currentTimeMillis(), id);
            return null;
        });
    }

    /** Marks the experiment and its runs deleted, as MLflow's SQL store does. */
    public void delete(String experimentId) {
        long id = parseId(experimentId);
        if (id == 0) {
            throw ApiException.invalid("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
        }
        db.write(c -> {
            Experiment e = requireExisting(c, experimentId, id);
            if (LifecycleStage.DELETED.equals(e.lifecycleStage())) {
                throw notFound(experimentId); // MLflow's answer: only an active experiment can be deleted
            }
            long now = System.currentTimeMillis();
            Sql.update(c, "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?", now, id);
            Sql.update(c, "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE experiment_id = ? AND lifecycle_stage = 'active'", now, id);
            return null;
        });
    }

    public void restore(String experimentId) {
        long id = parseId(experimentId);
        db.write(c -> {
            Experiment e = requireExisting(c, experimentId, id);
            if (LifecycleStage.ACTIVE.equals(e.lifecycleStage())) {
                throw notFound(experimentId); // MLflow's answer: only a deleted experiment can be restored
            }
            Sql.update(c, "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?", System.currentTimeMillis(), id);
            Sql.update(c, "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE experiment_id = ? AND lifecycle_stage = 'deleted'", id);
            return null;
        });
    }

    public void setTag(String experimentId, Tag tag) {
        long id = parseId(experimentId);
        db.write(c -> {
            Experiment e = requireExisting(c, experimentId, id);
            requireActive(e);
            upsertTag(c, id, tag);
            return null;
        });
    }

    public void deleteTag(String experimentId, String key) {
        long id = parseId(experimentId);
        db.write(c -> {
            Experiment e = requireExisting(c, experimentId, id);
            requireActive(e);
            if (Sql.update(c, "DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?", id, key) == 0) {
                throw ApiException.notFound("No tag with name: " + key + " in experiment with id " + experimentId);
            }
            return null;
        });
    }

    private static void upsertTag(Connection c, long id, Tag tag) throws SQLException {
        Sql.update(c, "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) "
                + "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value", tag.key(), tag.value(), id);
    }

    /** The experiment, or RESOURCE_DOES_NOT_EXIST; used inside write transactions. */
    Experiment requireExisting(Connection c, String experimentId, long id) throws SQLException {
        Experiment e = load(c, id);
        if (e == null) {
            throw notFound(experimentId);
        }
        return e;
    }

    static void requireActive(Experiment e) {
        if (!LifecycleStage.ACTIVE.equals(e.lifecycleStage())) {
            throw ApiException.invalid("The experiment " + e.experimentId() + " must be in the 'active' state. Current state is " + e.lifecycleStage() + ".");
        }
    }

    Experiment load(Connection c, long id) throws SQLException {
        List<Tag> tags = Sql.query(c, "SELECT key, value FROM experiment_tags WHERE experiment_id = ?", rs -> new Tag(rs.getString(1), rs.getString(2)), id);
        return Sql.queryOne(c, "SELECT * FROM experiments WHERE experiment_id = ?", rs -> row(rs, tags), id);
    }

    private static Experiment row(ResultSet rs, List<Tag> tags) throws SQLException {
        return new Experiment(Long.toString(rs.getLong("experiment_id")), rs.getString("name"), rs.getString("artifact_location"),
                rs.getString("lifecycle_stage"), Sql.nullableLong(rs, "last_update_time"), Sql.nullableLong(rs, "creation_time"), tags);
    }

    /** Experiment ids are integers in the database; anything else cannot name an experiment. */
    public static long parseId(String experimentId) {
        try {
            return Long.parseLong(experimentId.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw notFound(experimentId);
        }
    }

    static ApiException notFound(String experimentId) {
        return ApiException.notFound("No Experiment with id=" + experimentId + " exists");
    }
}
