package io.mlopscore.tracking.registry;

import org.junit.jupiter.api.condition.EnabledIf;

/** The registry's Java API on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresRegistryStoreTest extends RegistryStoreContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
