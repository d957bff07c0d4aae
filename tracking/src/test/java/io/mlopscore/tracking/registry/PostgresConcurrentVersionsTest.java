package io.mlopscore.tracking.registry;

import org.junit.jupiter.api.condition.EnabledIf;

/** Concurrent version numbering on PostgreSQL (127.0.0.1:5432, database test): the model row lock. */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresConcurrentVersionsTest extends ConcurrentVersionsContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
