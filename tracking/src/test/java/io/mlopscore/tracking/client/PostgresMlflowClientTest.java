package io.mlopscore.tracking.client;

import org.junit.jupiter.api.condition.EnabledIf;

/** The official MLflow Java client against the server on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresMlflowClientTest extends MlflowClientContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
