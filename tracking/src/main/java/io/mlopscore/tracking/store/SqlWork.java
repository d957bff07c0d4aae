package io.mlopscore.tracking.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of database work run inside one transaction on the given connection. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
