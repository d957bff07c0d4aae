package io.mlopscore.tracking.artifacts;

/** The run-linked artifact endpoints on the embedded SQLite store. */
class SqliteRunArtifactsTest extends RunArtifactsContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
