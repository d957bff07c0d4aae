package io.mlopscore.app;

import io.mlopscore.tracking.server.TrackingServer;
import picocli.CommandLine;

/** {@code mlops-core --version}: our version, and the MLflow API it speaks. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"mlops-core " + (version == null ? "dev" : version) + " (MLflow " + TrackingServer.MLFLOW_VERSION + " REST API and schema)"};
    }
}
