package io.mlopscore.tracking.registry;

import org.junit.jupiter.api.condition.EnabledIf;

/** Model version source validation on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresSourceValidationTest extends SourceValidationContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
