package io.mlopscore.tracking.registry;

/** The registry API contract on the embedded SQLite store. */
class SqliteRegistryApiTest extends RegistryApiContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
