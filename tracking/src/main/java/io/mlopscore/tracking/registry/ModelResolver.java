package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.store.Database;
import io.mlopscore.tracking.store.Sql;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Resolves {@code models:/} URIs to the version they name, its files and its run, in one read,
 * as MLflow's client-side ModelsArtifactRepository does through the REST registry:
 * <ul>
 *   <li>{@code models:/<name>/<version>} — that live version;</li>
 *   <li>{@code models:/<name>/latest} — the highest live version, whatever its stage;</li>
 *   <li>{@code models:/<name>/<stage>} — the highest live version in that stage (any case);</li>
 *   <li>{@code models:/<name>@<alias>} — the version the alias points at.</li>
 * </ul>
 * Errors are MLflow's: a malformed URI, an unknown stage or alias is a 400; a missing model or
 * version, or a stage or model with no versions, a 404.
 *
 * <pre>{@code
 * ResolvedModel m = new ModelResolver(db).resolve("models:/churn/Production");
 * m.version();      // "3"
 * m.downloadUri();  // where the files are: what get-download-uri answers
 * m.runId();
 * }</pre>
 */
public final class ModelResolver {
    private final Database db;

    public ModelResolver(Database db) {
        this.db = db;
    }

    public ResolvedModel resolve(String modelUri) {
        return resolve(ModelUri.parse(modelUri));
    }

    public ResolvedModel resolve(ModelUri uri) {
        RegistryValidation.modelName(uri.name());
        String stage = uri.kind() == ModelUri.Kind.STAGE ? ModelStages.canonical(uri.stage()) : null;
        return db.read(c -> ResolvedModel.of(RegistryReads.requireVersion(c, uri.name(), versionOf(c, uri, stage))));
    }

    private static int versionOf(Connection c, ModelUri uri, String stage) throws SQLException {
        String name = uri.name();
        switch (uri.kind()) {
            case VERSION -> {
                return RegistryValidation.version(name, uri.version());
            }
            case ALIAS -> {
                return aliasTarget(c, name, uri.alias());
            }
            default -> {
                RegistryReads.requireModelRow(c, name);
                Integer highest = RegistryReads.highestLiveVersion(c, name, stage);
                if (highest == null) {
                    throw ApiException.notFound("No versions of model with name '" + name + "'"
                            + (stage == null ? "" : " and stage '" + stage + "'") + " found");
                }
                return highest;
            }
        }
    }

    /** The version an alias points at; a missing alias (or model) is a 400, as in MLflow. */
    static int aliasTarget(Connection c, String name, String alias) throws SQLException {
        Integer version = Sql.queryOne(c, "SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?",
                rs -> rs.getInt(1), name, alias);
        if (version == null) {
            throw RegistryErrors.aliasNotFound(alias);
        }
        return version;
    }
}
