package io.mlopscore.app;

import java.net.BindException;
import java.sql.SQLException;

/** Turns a start-up failure into the one sentence an operator needs. */
final class StartupErrors {
    private StartupErrors() {}

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "the address is already in use or cannot be bound (" + t.getMessage() + "); choose another --host or --port.";
            }
        }
        Throwable sql = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                sql = t; // the innermost SQL error is the database's own reason
            }
        }
        Throwable root = sql != null ? sql : rootCause(e);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return (sql != null ? "the backend store could not be opened: " : "") + message;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
