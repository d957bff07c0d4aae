package io.mlopscore.tracking.search;

import java.sql.SQLException;

class RunSearchSqliteTest extends RunSearchSqlCases {
    @Override
    protected SearchTestDatabase open() throws SQLException {
        return SearchTestDatabase.sqlite();
    }
}
