package io.mlopscore.app;

import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.store.Schema;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlops-core tracking}: the tracking server, with {@code mlflow server}'s option names. */
@Command(name = "tracking",
        usageHelpWidth = 120,
        description = {"Start the tracking server: MLflow's REST API (experiments, runs, metrics, params, tags, search)",
                "on MLflow 2.19's SQL schema. Point MLFLOW_TRACKING_URI at it."})
final class TrackingCommand implements Callable<Integer> {
    // -h is --host, as in `mlflow server`; so help is --help only.
    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-h", "--host"}, defaultValue = TrackingConfig.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Use 0.0.0.0 only behind a firewall or TLS proxy.")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "" + TrackingConfig.DEFAULT_PORT, description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--backend-store-uri", defaultValue = TrackingConfig.DEFAULT_BACKEND_STORE_URI,
            description = {"Where runs and experiments are stored (default: ${DEFAULT-VALUE}, in the working folder).",
                    "sqlite:///relative.db, sqlite:////absolute/path.db or postgresql://user:password@host:port/database."})
    String backendStoreUri;

    @Option(names = "--default-artifact-root",
            description = "Artifact root for new experiments (default: mlflow-artifacts:/ when serving artifacts, else ./mlruns).")
    String defaultArtifactRoot;

    @Option(names = "--artifacts-destination", defaultValue = TrackingConfig.DEFAULT_ARTIFACTS_DESTINATION,
            description = "Where proxied artifacts are stored (default: ${DEFAULT-VALUE}).")
    String artifactsDestination;

    @Option(names = "--serve-artifacts", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Proxy artifact uploads and downloads through this server (default: on; --no-serve-artifacts turns it off).")
    boolean serveArtifacts;

    @Option(names = "--artifacts-only", defaultValue = "false",
            description = "Serve only the artifact proxy; tracking and registry endpoints answer 503 (as `mlflow server --artifacts-only`).")
    boolean artifactsOnly;

    @Option(names = "--max-request-bytes", defaultValue = "" + TrackingConfig.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest request body accepted, in bytes (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Override
    public Integer call() throws InterruptedException {
        TrackingConfig config = new TrackingConfig(host, port, backendStoreUri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes);
        TrackingServer server;
        try {
            server = TrackingServer.start(config);
        } catch (IllegalArgumentException | Schema.UnsupportedSchemaException e) {
            System.err.println("mlops-core tracking: " + e.getMessage());
            return 2;
        }
        System.out.println("mlops-core tracking server at " + server.url() + "  (MLFLOW_TRACKING_URI=" + server.url() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
