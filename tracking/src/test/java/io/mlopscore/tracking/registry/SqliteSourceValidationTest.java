package io.mlopscore.tracking.registry;

/** Model version source validation on the embedded SQLite store. */
class SqliteSourceValidationTest extends SourceValidationContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
