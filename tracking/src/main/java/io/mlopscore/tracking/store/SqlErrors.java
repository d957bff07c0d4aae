package io.mlopscore.tracking.store;

import java.sql.SQLException;

/** Recognises engine errors by their codes, the same way on SQLite and PostgreSQL. */
public final class SqlErrors {
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

    /** PostgreSQL cancelled the statement (statement_timeout). */
    static boolean isQueryCancelled(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "57014".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The engine's own reason, without the SQL text or bound values that drivers put around it
     * (a batch error quotes the whole INSERT with its values).
     */
    static String reason(SQLException e) {
        SQLException innermost = e;
        for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
            innermost = next;
        }
        if (innermost instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            return p.getServerErrorMessage().getMessage();
        }
        String message = innermost.getMessage() == null ? innermost.getClass().getSimpleName() : innermost.getMessage();
        int sql = message.indexOf(" INSERT ");
        return sql > 0 ? message.substring(0, sql) : message;
    }

    public static boolean isUniqueViolation(SQLException e) {
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
