package io.mlopscore.tracking.server;

/**
 * What the tracking server is started with; the names follow {@code mlflow server}'s options.
 *
 * @param host address to bind; loopback unless told otherwise
 * @param port TCP port; 0 picks a free one (tests)
 * @param backendStoreUri {@code sqlite:///file.db} or {@code postgresql://...}
 * @param defaultArtifactRoot root for new experiments' artifact locations
 * @param artifactsDestination where proxied artifacts are stored
 * @param serveArtifacts whether the server proxies artifact uploads and downloads
 * @param artifactsOnly serve only the artifact proxy (tracking and registry endpoints answer 503)
 * @param maxRequestBytes the largest JSON request body accepted (artifact uploads stream and are not capped by it)
 * @param maxArtifactBytes the largest artifact upload accepted through the proxy (413 past it)
 */
public record TrackingConfig(
        String host,
        int port,
        String backendStoreUri,
        String defaultArtifactRoot,
        String artifactsDestination,
        boolean serveArtifacts,
        boolean artifactsOnly,
        long maxRequestBytes,
        long maxArtifactBytes) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    public static final String DEFAULT_BACKEND_STORE_URI = "sqlite:///mlflow.db";
    public static final String DEFAULT_ARTIFACTS_DESTINATION = "./mlartifacts";
    /**
     * The largest JSON body: 4 times MLflow's 1 MB log-batch limit. A buffered body costs about
     * three times its size while parsed, so this bounds what concurrent large requests can take
     * from a 256 MB heap. Artifact uploads stream and have their own cap.
     */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 4L * 1024 * 1024;
    /** Generous: a cap against a runaway client filling the disk, not a limit on real models. */
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 64L * 1024 * 1024 * 1024;

    /** The configuration with the default artifact upload cap. */
    public TrackingConfig(String host, int port, String backendStoreUri, String defaultArtifactRoot, String artifactsDestination,
            boolean serveArtifacts, boolean artifactsOnly, long maxRequestBytes) {
        this(host, port, backendStoreUri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes,
                DEFAULT_MAX_ARTIFACT_BYTES);
    }

    /** MLflow's rule: a served-artifacts server roots experiments at mlflow-artifacts:/, else ./mlruns. */
    public String effectiveDefaultArtifactRoot() {
        if (defaultArtifactRoot != null && !defaultArtifactRoot.isBlank()) {
            return defaultArtifactRoot;
        }
        return serveArtifacts ? "mlflow-artifacts:/" : "./mlruns";
    }

    public static TrackingConfig defaults() {
        return new TrackingConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BACKEND_STORE_URI, null, DEFAULT_ARTIFACTS_DESTINATION, true, false, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_ARTIFACT_BYTES);
    }

    public TrackingConfig withPort(int newPort) {
        return new TrackingConfig(host, newPort, backendStoreUri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes, maxArtifactBytes);
    }

    public TrackingConfig withBackendStoreUri(String uri) {
        return new TrackingConfig(host, port, uri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes, maxArtifactBytes);
    }
}
