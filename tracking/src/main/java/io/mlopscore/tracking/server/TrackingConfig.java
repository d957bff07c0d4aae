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
 */
public record TrackingConfig(
        String host,
        int port,
        String backendStoreUri,
        String defaultArtifactRoot,
        String artifactsDestination,
        boolean serveArtifacts,
        boolean artifactsOnly,
        long maxRequestBytes) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    public static final String DEFAULT_BACKEND_STORE_URI = "sqlite:///mlflow.db";
    public static final String DEFAULT_ARTIFACTS_DESTINATION = "./mlartifacts";
    /** Large enough for log-inputs with a dataset profile (16 MiB in MLflow's schema). */
    public static final long DEFAULT_MAX_REQUEST_BYTES = 20L * 1024 * 1024;

    /** MLflow's rule: a served-artifacts server roots experiments at mlflow-artifacts:/, else ./mlruns. */
    public String effectiveDefaultArtifactRoot() {
        if (defaultArtifactRoot != null && !defaultArtifactRoot.isBlank()) {
            return defaultArtifactRoot;
        }
        return serveArtifacts ? "mlflow-artifacts:/" : "./mlruns";
    }

    public static TrackingConfig defaults() {
        return new TrackingConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BACKEND_STORE_URI, null, DEFAULT_ARTIFACTS_DESTINATION, true, false, DEFAULT_MAX_REQUEST_BYTES);
    }

    public TrackingConfig withPort(int newPort) {
        return new TrackingConfig(host, newPort, backendStoreUri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes);
    }

    public TrackingConfig withBackendStoreUri(String uri) {
        return new TrackingConfig(host, port, uri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes);
    }
}
