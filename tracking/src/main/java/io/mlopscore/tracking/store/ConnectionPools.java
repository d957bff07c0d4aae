package io.mlopscore.tracking.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Builds connection pools and the SQLite write connection with the settings each engine needs. */
final class ConnectionPools {
    /** Milliseconds a SQLite connection waits for a lock held by another process (say, mlflow server). */
    static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;
    /** The longest a PostgreSQL statement may run before the server cancels it. */
    static final int STATEMENT_TIMEOUT_MS = 30_000;

    private ConnectionPools() {}

    static HikariDataSource create(BackendUri uri) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mlops-core-" + uri.dialect().name().toLowerCase());
        config.setJdbcUrl(uri.jdbcUrl());
        config.setConnectionTimeout(10_000);
        if (uri.dialect() == Dialect.SQLITE) {
            config.setDriverClassName("org.sqlite.JDBC");
            // Readers run beside the writer thanks to WAL; two cores gain nothing from more.
            config.setMaximumPoolSize(4);
            config.setDataSourceProperties(sqliteProperties());
        } else {
            config.setDriverClassName("org.postgresql.Driver");
            config.setMaximumPoolSize(16);
            // No request may hold a connection (and a PostgreSQL backend) indefinitely.
            config.setConnectionInitSql("SET statement_timeout = " + STATEMENT_TIMEOUT_MS);
            if (uri.user() != null) {
                config.setUsername(uri.user());
            }
            if (uri.password() != null) {
                config.setPassword(uri.password());
            }
        }
        return new HikariDataSource(config);
    }

    /**
     * The writer's connection. The journal is switched to WAL only later, once the schema check has
     * accepted the file ({@link Database#useWriteAheadLog()}): a refused database stays as it was.
     */
    static Connection sqliteWriteConnection(BackendUri uri) throws SQLException {
        Properties p = sqliteProperties();
        // MLflow's metrics primary key starts with the key, so a 1000-metric batch touches pages all
        // over the index; a 32 MiB page cache (native memory, not heap) keeps them between batches.
        p.setProperty("cache_size", "-32768");
        return DriverManager.getConnection(uri.jdbcUrl(), p);
    }

    private static Properties sqliteProperties() {
        Properties p = new Properties();
        p.setProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MS));
        p.setProperty("synchronous", "FULL");
        p.setProperty("foreign_keys", "true");
        // MLflow sets this on its SQLite sessions: LIKE in search filters is case-sensitive, ILIKE is not.
        p.setProperty("case_sensitive_like", "true");
        return p;
    }
}
