package io.mlopscore.tracking.client;

/** The official MLflow Java client against the server on the embedded SQLite store. */
class SqliteMlflowClientTest extends MlflowClientContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
