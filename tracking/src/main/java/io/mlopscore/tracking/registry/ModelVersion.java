package io.mlopscore.tracking.registry;

import io.mlopscore.tracking.model.Tag;
import java.util.List;

/**
 * One version of a registered model, as the model_versions table holds it.
 *
 * @param storageLocation where a {@code models:/} source resolved to at creation (a DB-only
 *                        column, never rendered); null for other sources
 * @param aliases         the aliases pointing at this version, where MLflow fills them in
 *                        (get, create, update, transition, get-by-alias, get-latest-versions);
 *                        empty in search results and in a registered model's latest_versions
 */
public record ModelVersion(
        String name,
        int version,
        Long creationTimestamp,
        Long lastUpdatedTimestamp,
        String userId,
        String currentStage,
        String description,
        String source,
        String runId,
        String status,
        String statusMessage,
        List<Tag> tags,
        String runLink,
        List<String> aliases,
        String storageLocation) {

    public ModelVersion {
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /** What get-download-uri answers: the storage location when one was recorded, else the source. */
    public String downloadUri() {
        return storageLocation != null && !storageLocation.isEmpty() ? storageLocation : source;
    }

    public ModelVersion withAliases(List<String> newAliases) {
        return new ModelVersion(name, version, creationTimestamp, lastUpdatedTimestamp, userId, currentStage, description,
                source, runId, status, statusMessage, tags, runLink, newAliases, storageLocation);
    }
}
