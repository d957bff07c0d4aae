package io.mlopscore.tracking.api;

/** The tracking API contract on the embedded SQLite store. */
class SqliteTrackingApiTest extends TrackingApiContract {
    @Override
    String backendKind() {
        return "sqlite";
    }
}
