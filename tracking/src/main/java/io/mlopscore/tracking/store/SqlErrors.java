package io.mlopscore.tracking.store;

import java.sql.SQLException;

/** Recognises engine errors by their codes, the same way on SQLite and PostgreSQL. */
final class SqlErrors {
    private SqlErrors() {}

    /** SQL state class 22 (data exception): a value too long for its column, out of range, etc. */
    static boolean isDataException(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                if ("23505".equals(s.getSQLState())) {
                    return true; // PostgreSQL unique_violation
                }
                // SQLite: SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067)
                if (s.getErrorCode() == 19 && s.getMessage() != null
                        && (s.getMessage().contains("UNIQUE") || s.getMessage().contains("PRIMARYKEY"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
