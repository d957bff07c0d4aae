package io.mlopscore.app;

import io.mlopscore.tracking.server.TrackingConfig;
import io.mlopscore.tracking.server.TrackingServer;
import io.mlopscore.tracking.store.Schema;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
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

    @Option(names = {"-h", "--host"}, defaultValue = "${env:MLFLOW_HOST:-" + TrackingConfig.DEFAULT_HOST + "}",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Use 0.0.0.0 only behind a firewall or TLS proxy.")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "${env:MLFLOW_PORT:-" + TrackingConfig.DEFAULT_PORT + "}", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--backend-store-uri", defaultValue = "${env:MLFLOW_BACKEND_STORE_URI:-" + TrackingConfig.DEFAULT_BACKEND_STORE_URI + "}",
            description = {"Where runs and experiments are stored (default: sqlite:///mlflow.db in the working folder).",
                    "sqlite:///relative.db, sqlite:////absolute/path.db,", "postgresql://user:password@host:port/database.",
                    "Put a password in MLFLOW_BACKEND_STORE_URI rather than on the command line, where ps shows it."})
    String backendStoreUri;

    @Option(names = "--default-artifact-root", defaultValue = "${env:MLFLOW_DEFAULT_ARTIFACT_ROOT}",
            description = {"Artifact root for new experiments.", "Default: mlflow-artifacts:/ when serving artifacts, else the folder mlruns."})
    String defaultArtifactRoot;

    @Option(names = "--artifacts-destination", defaultValue = "${env:MLFLOW_ARTIFACTS_DESTINATION:-" + TrackingConfig.DEFAULT_ARTIFACTS_DESTINATION + "}",
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

    @Option(names = "--max-artifact-bytes", defaultValue = "" + TrackingConfig.DEFAULT_MAX_ARTIFACT_BYTES,
            description = {"Largest artifact upload accepted through the proxy, in bytes (default: ${DEFAULT-VALUE}, 64 GiB);",
                    "larger uploads get a 413 and leave nothing behind. Uploads stream: this guards the disk, not the memory."})
    long maxArtifactBytes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be between 0 and 65535, got " + port + ".");
        }
        if (maxRequestBytes < 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-request-bytes must be at least 1024, got " + maxRequestBytes + ".");
        }
        TrackingConfig config = new TrackingConfig(host, port, backendStoreUri, defaultArtifactRoot, artifactsDestination, serveArtifacts, artifactsOnly, maxRequestBytes,
                maxArtifactBytes);
        TrackingServer server;
        try {
            server = TrackingServer.start(config);
        } catch (IllegalArgumentException | Schema.UnsupportedSchemaException e) {
            System.err.println("mlops-core tracking: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            // A start-up failure (port taken, database unreachable) is one line for the operator;
            // the stack trace is only for debugging.
            System.err.println("mlops-core tracking: cannot start: " + StartupErrors.describe(e));
            if (System.getenv("MLOPSCORE_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
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
