package io.mlopscore.tracking.registry;

/** Registry search on the embedded SQLite store. */
class SqliteRegistrySearchTest extends RegistrySearchContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
