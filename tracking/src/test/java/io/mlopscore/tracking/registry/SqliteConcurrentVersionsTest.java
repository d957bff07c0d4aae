package io.mlopscore.tracking.registry;

/** Concurrent version numbering on the embedded SQLite store (one group-commit writer). */
class SqliteConcurrentVersionsTest extends ConcurrentVersionsContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
