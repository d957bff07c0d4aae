package io.mlopscore.tracking.artifacts;

import org.junit.jupiter.api.condition.EnabledIf;

/** The run-linked artifact endpoints on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresRunArtifactsTest extends RunArtifactsContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
