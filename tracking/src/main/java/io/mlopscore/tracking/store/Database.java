package io.mlopscore.tracking.store;

import com.zaxxer.hikari.HikariDataSource;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the tracking data lives, and how work gets a transaction.
 *
 * <pre>{@code
 * try (Database db = Database.open(BackendUri.parse("sqlite:///mlflow.db"))) {
 *     long n = db.read(c -> ...);          // a pooled connection, read-only work
 *     db.write(c -> { ...; return id; });  // one transaction; all or nothing
 * }
 * }</pre>
 *
 * On SQLite every write goes through one {@link SqliteWriter} thread that commits several
 * callers' work together (group commit), so concurrent writers never see "database is locked" and
 * each commit's fsync is shared. On PostgreSQL each write is its own pooled transaction.
 */
public final class Database implements AutoCloseable {
    private final Dialect dialect;
    private final HikariDataSource readPool;
    private final SqliteWriter sqliteWriter; // null on PostgreSQL

    private Database(Dialect dialect, HikariDataSource readPool, SqliteWriter sqliteWriter) {
        this.dialect = dialect;
        this.readPool = readPool;
        this.sqliteWriter = sqliteWriter;
    }

    public static Database open(BackendUri uri) {
        HikariDataSource pool = ConnectionPools.create(uri);
        try {
            SqliteWriter writer = uri.dialect() == Dialect.SQLITE ? new SqliteWriter(ConnectionPools.sqliteWriteConnection(uri)) : null;
            return new Database(uri.dialect(), pool, writer);
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException("Cannot open " + uri.redacted() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Puts a SQLite file in WAL mode: readers then work while the writer writes, and with
     * synchronous=FULL each commit is fsynced once, shared by the group. Called after the schema
     * check, because the journal mode is stored in the file. A no-op on PostgreSQL.
     */
    public void useWriteAheadLog() {
        if (sqliteWriter != null) {
            sqliteWriter.executeOutsideTransaction(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode=WAL");
                }
                return null;
            });
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public HikariDataSource pool() {
        return readPool;
    }

    /** Runs read-only work on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = readPool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw storeFailure(e);
        }
    }

    /** Runs work in one transaction: if it throws, nothing it wrote is kept. */
    public <T> T write(SqlWork<T> work) {
        if (sqliteWriter != null) {
            return sqliteWriter.execute(work);
        }
        try (Connection c = readPool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw storeFailure(e);
        }
    }

    /**
     * Runs work that is a single statement on PostgreSQL in auto-commit: one round trip instead of
     * BEGIN, statement, COMMIT. On SQLite it is an ordinary {@link #write}.
     */
    public <T> T writeOneStatement(SqlWork<T> work) {
        if (sqliteWriter != null) {
            return sqliteWriter.execute(work);
        }
        try (Connection c = readPool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw storeFailure(e);
        }
    }

    static RuntimeException storeFailure(SQLException e) {
        if (SqlErrors.isUniqueViolation(e)) {
            return ApiException.alreadyExists("The entity already exists: " + SqlErrors.reason(e));
        }
        if (SqlErrors.isDataException(e)) {
            // A value the column cannot hold: the client's mistake.
            return ApiException.invalid("A value does not fit the store's schema: " + SqlErrors.reason(e));
        }
        if (SqlErrors.isQueryCancelled(e)) {
            return new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, 503, "The query ran past the store's "
                    + ConnectionPools.STATEMENT_TIMEOUT_MS / 1000 + " s statement timeout; narrow the search.");
        }
        return new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, 503, "The backend store failed: " + SqlErrors.reason(e));
    }

    @Override
    public void close() {
        if (sqliteWriter != null) {
            sqliteWriter.close();
        }
        readPool.close();
    }
}
