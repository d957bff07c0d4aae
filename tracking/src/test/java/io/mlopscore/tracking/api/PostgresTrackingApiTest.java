package io.mlopscore.tracking.api;

import io.mlopscore.tracking.testing.Backend;
import org.junit.jupiter.api.condition.EnabledIf;

/** The tracking API contract on PostgreSQL (127.0.0.1:5432, database test). */
@EnabledIf("io.mlopscore.tracking.testing.Backend#postgresAvailable")
class PostgresTrackingApiTest extends TrackingApiContract {
    @Override
    String backendKind() {
        return "postgresql";
    }
}
