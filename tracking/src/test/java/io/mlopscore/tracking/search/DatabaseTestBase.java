package io.mlopscore.tracking.search;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** One database per test class, emptied before each test. Subclasses pick the engine. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseTestBase {
    protected SearchTestDatabase db;

    protected abstract SearchTestDatabase open() throws SQLException;

    @BeforeAll
    void openDatabase() throws SQLException {
        db = open();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        db.clear();
    }

    @AfterAll
    void closeDatabase() throws SQLException {
        if (db != null) {
            db.close();
        }
    }
}
