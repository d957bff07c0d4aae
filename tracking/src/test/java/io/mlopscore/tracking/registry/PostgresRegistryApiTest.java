package io.mlopscore.tracking.registry;

import org.junit.jupiter.api.condition.EnabledIf;

/** The registry API contract on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresRegistryApiTest extends RegistryApiContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
