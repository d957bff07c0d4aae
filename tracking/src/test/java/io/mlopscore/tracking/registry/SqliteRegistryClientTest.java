package io.mlopscore.tracking.registry;

/** The official MLflow Java client's registry calls against the server on SQLite. */
class SqliteRegistryClientTest extends RegistryClientContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
