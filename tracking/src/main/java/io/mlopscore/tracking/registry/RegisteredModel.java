package io.mlopscore.tracking.registry;

import io.mlopscore.tracking.model.Tag;
import java.util.List;

/**
 * A registered model with what MLflow shows of it: for each stage in use, the highest live
 * version in that stage ({@code latestVersions}, without their aliases), its tags and aliases.
 */
public record RegisteredModel(
        String name,
        Long creationTimestamp,
        Long lastUpdatedTimestamp,
        String description,
        List<ModelVersion> latestVersions,
        List<Tag> tags,
        List<ModelAlias> aliases) {

    public RegisteredModel {
        latestVersions = List.copyOf(latestVersions);
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
