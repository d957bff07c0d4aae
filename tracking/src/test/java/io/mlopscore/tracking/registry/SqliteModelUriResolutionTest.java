package io.mlopscore.tracking.registry;

/** models:/ URI resolution on the embedded SQLite store. */
class SqliteModelUriResolutionTest extends ModelUriResolutionContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
