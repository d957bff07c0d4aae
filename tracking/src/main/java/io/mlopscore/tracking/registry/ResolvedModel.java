package io.mlopscore.tracking.registry;

import java.util.List;

/**
 * What a {@code models:/} URI points at, in one answer: the model version, where its files are
 * ({@code downloadUri}: the storage location or the source, as get-download-uri answers), the run
 * that produced it, its stage and aliases.
 */
public record ResolvedModel(
        String name,
        String version,
        String source,
        String downloadUri,
        String runId,
        String currentStage,
        List<String> aliases) {

    public ResolvedModel {
        aliases = List.copyOf(aliases);
    }

    static ResolvedModel of(ModelVersion v) {
        return new ResolvedModel(v.name(), Integer.toString(v.version()), v.source(), v.downloadUri(), v.runId(),
                v.currentStage(), v.aliases());
    }
}
