package io.mlopscore.tracking.registry;

/** The registry's Java API on the embedded SQLite store. */
class SqliteRegistryStoreTest extends RegistryStoreContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
