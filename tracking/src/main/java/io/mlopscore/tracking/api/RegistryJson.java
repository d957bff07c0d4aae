package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.common.http.Json;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.registry.ModelAlias;
import io.mlopscore.tracking.registry.ModelVersion;
import io.mlopscore.tracking.registry.RegisteredModel;
import io.mlopscore.tracking.registry.ResolvedModel;
import java.util.List;

/**
 * Registry entities as MLflow 2.19's server writes them (model_registry.proto field order and
 * names, int64 as numbers, the version as a string, empty lists left out):
 * <ul>
 *   <li>RegisteredModel: name; creation_timestamp when set; last_updated_timestamp and
 *       description only when truthy (an empty description is left out); latest_versions, tags
 *       and aliases ({@code {alias, version}}) when not empty; never user_id.</li>
 *   <li>ModelVersion: every field that is not null, so an empty description, run_id or
 *       run_link is written as {@code ""}; status_message only when not empty.</li>
 * </ul>
 */
public final class RegistryJson {
    private RegistryJson() {}

    public static ObjectNode registeredModel(RegisteredModel m) {
        ObjectNode o = Json.object();
        o.put("name", m.name());
        if (m.creationTimestamp() != null) {
            o.put("creation_timestamp", m.creationTimestamp());
        }
        if (m.lastUpdatedTimestamp() != null && m.lastUpdatedTimestamp() != 0) {
            o.put("last_updated_timestamp", m.lastUpdatedTimestamp());
        }
        if (m.description() != null && !m.description().isEmpty()) {
            o.put("description", m.description());
        }
        if (!m.latestVersions().isEmpty()) {
            ArrayNode latest = o.putArray("latest_versions");
            m.latestVersions().forEach(v -> latest.add(modelVersion(v)));
        }
        putTags(o, m.tags());
        if (!m.aliases().isEmpty()) {
            ArrayNode aliases = o.putArray("aliases");
            for (ModelAlias a : m.aliases()) {
                aliases.addObject().put("alias", a.alias()).put("version", Integer.toString(a.version()));
            }
        }
        return o;
    }

    public static ObjectNode modelVersion(ModelVersion v) {
        ObjectNode o = Json.object();
        o.put("name", v.name());
        o.put("version", Integer.toString(v.version()));
        putIfSet(o, "creation_timestamp", v.creationTimestamp());
        putIfSet(o, "last_updated_timestamp", v.lastUpdatedTimestamp());
        putIfSet(o, "user_id", v.userId());
        putIfSet(o, "current_stage", v.currentStage());
        putIfSet(o, "description", v.description());
        putIfSet(o, "source", v.source());
        putIfSet(o, "run_id", v.runId());
        putIfSet(o, "status", v.status());
        if (v.statusMessage() != null && !v.statusMessage().isEmpty()) {
            o.put("status_message", v.statusMessage());
        }
        putTags(o, v.tags());
        putIfSet(o, "run_link", v.runLink());
        putStrings(o, "aliases", v.aliases());
        return o;
    }

    public static ObjectNode modelVersions(String field, List<ModelVersion> versions) {
        ObjectNode o = Json.object();
        if (!versions.isEmpty()) {
            ArrayNode list = o.putArray(field);
            versions.forEach(v -> list.add(modelVersion(v)));
        }
        return o;
    }

    /**
     * The mlops-core resolve answer: every field present (aliases as a possibly empty list).
     * {@code download_uri} and {@code artifact_uri} are the same value, the one get-download-uri
     * answers as {@code artifact_uri}.
     */
    public static ObjectNode resolved(ResolvedModel m) {
        ObjectNode o = Json.object();
        o.put("name", m.name());
        o.put("version", m.version());
        o.put("source", m.source());
        o.put("download_uri", m.downloadUri());
        o.put("artifact_uri", m.downloadUri());
        o.put("run_id", m.runId());
        o.put("current_stage", m.currentStage());
        ArrayNode aliases = o.putArray("aliases");
        m.aliases().forEach(aliases::add);
        return o;
    }

    private static void putTags(ObjectNode o, List<Tag> tags) {
        if (tags.isEmpty()) {
            return;
        }
        ArrayNode array = o.putArray("tags");
        for (Tag t : tags) {
            ObjectNode tag = array.addObject().put("key", t.key());
            if (t.value() != null) {
                tag.put("value", t.value());
            }
        }
    }

    private static void putStrings(ObjectNode o, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = o.putArray(field);
            values.forEach(array::add);
        }
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static void putIfSet(ObjectNode o, String field, Long value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
