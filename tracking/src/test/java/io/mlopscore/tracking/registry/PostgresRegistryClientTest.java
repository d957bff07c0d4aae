package io.mlopscore.tracking.registry;

import org.junit.jupiter.api.condition.EnabledIf;

/** The official MLflow Java client's registry calls against the server on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresRegistryClientTest extends RegistryClientContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
