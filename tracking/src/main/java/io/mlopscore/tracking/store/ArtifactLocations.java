package io.mlopscore.tracking.store;

/** Derives artifact locations as MLflow does: experiment root + id, then run id + "/artifacts". */
public final class ArtifactLocations {
    private ArtifactLocations() {}

    public static String experimentLocation(String defaultArtifactRoot, String experimentId) {
        return join(defaultArtifactRoot, experimentId);
    }

    public static String runArtifactUri(String experimentLocation, String runId) {
        return join(join(experimentLocation, runId), "artifacts");
    }

    private static String join(String base, String part) {
        if (base.endsWith("/")) {
            return base + part;
        }
        return base + "/" + part;
    }
}
