package io.mlopscore.tracking.search;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.SQLException;

/** The same cases on PostgreSQL; skipped where it is not reachable (outside CI). */
class ExperimentSearchPostgresTest extends ExperimentSearchSqlCases {
    @Override
    protected SearchTestDatabase open() throws SQLException {
        assumeTrue(SearchTestDatabase.postgresAvailable(), "PostgreSQL at 127.0.0.1:5432 is not reachable");
        return SearchTestDatabase.postgres();
    }
}
