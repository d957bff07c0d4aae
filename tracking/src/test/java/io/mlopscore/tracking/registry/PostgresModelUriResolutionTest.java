package io.mlopscore.tracking.registry;

import org.junit.jupiter.api.condition.EnabledIf;

/** models:/ URI resolution on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresModelUriResolutionTest extends ModelUriResolutionContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
