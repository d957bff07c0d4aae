package io.mlopscore.tracking.search;

import java.sql.SQLException;

class ExperimentSearchSqliteTest extends ExperimentSearchSqlCases {
    @Override
    protected SearchTestDatabase open() throws SQLException {
        return SearchTestDatabase.sqlite();
    }
}
