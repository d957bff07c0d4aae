package io.mlopscore.tracking.registry;

import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.store.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads registry entities. Whole pages load in a fixed number of queries, whatever their size
 * (values are bound in chunks, within both engines' parameter limits). Soft-deleted versions are
 * never returned.
 */
final class RegistryReads {
    /** Items per query: their bound values stay far below SQLite's 32766 and PostgreSQL's 65535. */
    private static final int CHUNK = 250;
    static final String VERSION_COLUMNS = "name, version, creation_time, last_updated_time, description, user_id, current_stage, "
            + "source, run_id, status, status_message, run_link, storage_location";

    private RegistryReads() {}

    /** A registered model row without its versions, tags and aliases; null if there is none. */
    static RegisteredModel modelRow(Connection c, String name) throws SQLException {
        return Sql.queryOne(c, "SELECT name, creation_time, last_updated_time, description FROM registered_models WHERE name = ?",
                rs -> new RegisteredModel(rs.getString("name"), Sql.nullableLong(rs, "creation_time"),
                        Sql.nullableLong(rs, "last_updated_time"), rs.getString("description"), List.of(), List.of(), List.of()),
                name);
    }

    static RegisteredModel requireModelRow(Connection c, String name) throws SQLException {
        RegisteredModel m = modelRow(c, name);
        if (m == null) {
            throw RegistryErrors.modelNotFound(name);
        }
        return m;
    }

    /** The whole registered model: latest versions per stage, tags and aliases. */
    static RegisteredModel requireModel(Connection c, String name) throws SQLException {
        List<RegisteredModel> models = models(c, List.of(name));
        if (models.isEmpty()) {
            throw RegistryErrors.modelNotFound(name);
        }
        return models.get(0);
    }

    /** Whole registered models in the order of the names given; missing names are skipped. */
    static List<RegisteredModel> models(Connection c, List<String> names) throws SQLException {
        Map<String, RegisteredModel> rows = new HashMap<>();
        Map<String, List<Tag>> tags = new HashMap<>();
        Map<String, List<ModelAlias>> aliases = new HashMap<>();
        for (List<String> chunk : chunks(names)) {
            String in = Sql.placeholders(chunk.size());
            Object[] args = chunk.toArray();
            for (RegisteredModel m : Sql.query(c, "SELECT name, creation_time, last_updated_time, description FROM registered_models WHERE name IN ("
                    + in + ")", rs -> new RegisteredModel(rs.getString("name"), Sql.nullableLong(rs, "creation_time"),
                            Sql.nullableLong(rs, "last_updated_time"), rs.getString("description"), List.of(), List.of(), List.of()), args)) {
                rows.put(m.name(), m);
            }
            for (Object[] t : Sql.query(c, "SELECT name, key, value FROM registered_model_tags WHERE name IN (" + in + ") ORDER BY name, key",
                    rs -> new Object[] {rs.getString(1), new Tag(rs.getString(2), rs.getString(3))}, args)) {
                tags.computeIfAbsent((String) t[0], k -> new ArrayList<>()).add((Tag) t[1]);
            }
            for (Object[] a : Sql.query(c, "SELECT name, alias, version FROM registered_model_aliases WHERE name IN (" + in + ") ORDER BY name, alias",
                    rs -> new Object[] {rs.getString(1), new ModelAlias(rs.getString(2), rs.getInt(3))}, args)) {
                aliases.computeIfAbsent((String) a[0], k -> new ArrayList<>()).add((ModelAlias) a[1]);
            }
        }
        Map<String, List<ModelVersion>> latest = latestVersions(c, names);
        List<RegisteredModel> out = new ArrayList<>();
        for (String name : names) {
            RegisteredModel m = rows.get(name);
            if (m != null) {
                out.add(new RegisteredModel(m.name(), m.creationTimestamp(), m.lastUpdatedTimestamp(), m.description(),
                        latest.getOrDefault(name, List.of()), tags.getOrDefault(name, List.of()), aliases.getOrDefault(name, List.of())));
            }
        }
        return out;
    }

    /**
     * Per model, the highest live version of each stage in use, with tags and without aliases,
     * in MLflow's order: stages in the order their lowest live version appears.
     */
    static Map<String, List<ModelVersion>> latestVersions(Connection c, List<String> names) throws SQLException {
        record StageSpan(String name, String stage, int lowest, int highest) {}
        List<StageSpan> spans = new ArrayList<>();
        for (List<String> chunk : chunks(names)) {
            spans.addAll(Sql.query(c, "SELECT name, current_stage, MIN(version), MAX(version) FROM model_versions WHERE name IN ("
                            + Sql.placeholders(chunk.size()) + ") AND current_stage <> ? GROUP BY name, current_stage",
                    rs -> new StageSpan(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)),
                    append(chunk.toArray(), ModelStages.DELETED_INTERNAL)));
        }
        spans.sort(Comparator.comparing(StageSpan::name).thenComparingInt(StageSpan::lowest));
        Map<String, Set<Integer>> wanted = new HashMap<>();
        spans.forEach(s -> wanted.computeIfAbsent(s.name(), k -> new HashSet<>()).add(s.highest()));
        Map<String, Map<Integer, ModelVersion>> loaded = new HashMap<>();
        for (ModelVersion v : withTags(c, versionRows(c, wanted))) {
            loaded.computeIfAbsent(v.name(), k -> new HashMap<>()).put(v.version(), v);
        }
        Map<String, List<ModelVersion>> out = new LinkedHashMap<>();
        for (StageSpan s : spans) {
            ModelVersion v = loaded.getOrDefault(s.name(), Map.of()).get(s.highest());
            if (v != null) {
                out.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(v);
            }
        }
        return out;
    }

    /** A live version's row, without tags and aliases; null if it is missing or deleted. */
    static ModelVersion liveVersionRow(Connection c, String name, int version) throws SQLException {
        return Sql.queryOne(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE name = ? AND version = ? AND current_stage <> ?",
                RegistryReads::versionRow, name, version, ModelStages.DELETED_INTERNAL);
    }

    static ModelVersion requireLiveVersionRow(Connection c, String name, int version) throws SQLException {
        ModelVersion v = liveVersionRow(c, name, version);
        if (v == null) {
            throw RegistryErrors.versionNotFound(name, version);
        }
        return v;
    }

    /** A live version with its tags and aliases, as get-model-version answers. */
    static ModelVersion requireVersion(Connection c, String name, int version) throws SQLException {
        ModelVersion row = requireLiveVersionRow(c, name, version);
        return withTags(c, List.of(row)).get(0).withAliases(aliasesOf(c, name, version));
    }

    static List<String> aliasesOf(Connection c, String name, int version) throws SQLException {
        return Sql.query(c, "SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias",
                rs -> rs.getString(1), name, version);
    }

    /** The highest live version of a model (stage null) or of one stage; null if there is none. */
    static Integer highestLiveVersion(Connection c, String name, String stage) throws SQLException {
        String sql = "SELECT MAX(version) FROM model_versions WHERE name = ? AND current_stage <> ?" + (stage == null ? "" : " AND current_stage = ?");
        Object[] args = stage == null ? new Object[] {name, ModelStages.DELETED_INTERNAL} : new Object[] {name, ModelStages.DELETED_INTERNAL, stage};
        return Sql.queryOne(c, sql, rs -> {
            int v = rs.getInt(1);
            return rs.wasNull() ? null : v;
        }, args);
    }

    /** Live version rows for the wanted version numbers of each model. */
    private static List<ModelVersion> versionRows(Connection c, Map<String, Set<Integer>> wanted) throws SQLException {
        List<Object[]> pairs = new ArrayList<>();
        wanted.forEach((name, versions) -> versions.forEach(v -> pairs.add(new Object[] {name, v})));
        List<ModelVersion> out = new ArrayList<>();
        for (List<Object[]> chunk : chunks(pairs)) {
            out.addAll(Sql.query(c, "SELECT " + VERSION_COLUMNS + " FROM model_versions WHERE current_stage <> ? AND ("
                    + pairCondition(chunk.size()) + ")", RegistryReads::versionRow, pairArgs(ModelStages.DELETED_INTERNAL, chunk)));
        }
        return out;
    }

    /** The same versions with their tags (ordered by key); the order of the list is kept. */
    static List<ModelVersion> withTags(Connection c, List<ModelVersion> versions) throws SQLException {
        if (versions.isEmpty()) {
            return versions;
        }
        List<Object[]> pairs = versions.stream().map(v -> new Object[] {v.name(), v.version()}).toList();
        Map<String, List<Tag>> tags = new HashMap<>();
        for (List<Object[]> chunk : chunks(pairs)) {
            for (Object[] t : Sql.query(c, "SELECT name, version, key, value FROM model_version_tags WHERE "
                    + pairCondition(chunk.size()) + " ORDER BY name, version, key",
                    rs -> new Object[] {versionKey(rs.getString(1), rs.getInt(2)), new Tag(rs.getString(3), rs.getString(4))},
                    pairArgs(null, chunk))) {
                tags.computeIfAbsent((String) t[0], k -> new ArrayList<>()).add((Tag) t[1]);
            }
        }
        List<ModelVersion> out = new ArrayList<>(versions.size());
        for (ModelVersion v : versions) {
            List<Tag> own = tags.getOrDefault(versionKey(v.name(), v.version()), List.of());
            out.add(new ModelVersion(v.name(), v.version(), v.creationTimestamp(), v.lastUpdatedTimestamp(), v.userId(), v.currentStage(),
                    v.description(), v.source(), v.runId(), v.status(), v.statusMessage(), own, v.runLink(), v.aliases(), v.storageLocation()));
        }
        return out;
    }

    private static String versionKey(String name, int version) {
        return name + "\u0000" + version; // names never hold NUL (RegistryValidation)
    }

    /** "(name = ? AND version = ?) OR ..." for n pairs. */
    private static String pairCondition(int n) {
        return String.join(" OR ", java.util.Collections.nCopies(n, "(name = ? AND version = ?)"));
    }

    private static Object[] pairArgs(Object first, List<Object[]> pairs) {
        List<Object> args = new ArrayList<>();
        if (first != null) {
            args.add(first);
        }
        pairs.forEach(p -> {
            args.add(p[0]);
            args.add(p[1]);
        });
        return args.toArray();
    }

    static ModelVersion versionRow(ResultSet rs) throws SQLException {
        return new ModelVersion(rs.getString("name"), rs.getInt("version"), Sql.nullableLong(rs, "creation_time"),
                Sql.nullableLong(rs, "last_updated_time"), rs.getString("user_id"), rs.getString("current_stage"),
                rs.getString("description"), rs.getString("source"), rs.getString("run_id"), rs.getString("status"),
                rs.getString("status_message"), List.of(), rs.getString("run_link"), List.of(), rs.getString("storage_location"));
    }

    /** Slices of at most 250 items: two bound values each for pairs, one for names. */
    private static <T> List<List<T>> chunks(List<T> values) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i += CHUNK) {
            out.add(values.subList(i, Math.min(values.size(), i + CHUNK)));
        }
        return out;
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] out = java.util.Arrays.copyOf(values, values.length + 1);
        out[values.length] = last;
        return out;
    }
}
