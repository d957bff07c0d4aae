package io.mlopscore.tracking.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty backend store for one test class: a SQLite file in a temporary folder, or a new
 * schema in the PostgreSQL at 127.0.0.1:5432 (database {@code test}), dropped on close.
 *
 * <p>PostgreSQL tests need that server. Where it is not reachable they are skipped, except under
 * CI ({@code CI=true}), where a missing PostgreSQL is a failure rather than a silent skip.
 */
public final class Backend implements AutoCloseable {
    public static final String POSTGRES_ADMIN_JDBC = System.getProperty("mlopscore.test.postgres.jdbc",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private final String uri;
    private final Runnable cleanup;
    private final String kind;

    private Backend(String kind, String uri, Runnable cleanup) {
        this.kind = kind;
        this.uri = uri;
        this.cleanup = cleanup;
    }

    public static Backend sqlite() {
        try {
            Path dir = Files.createTempDirectory("mlops-core-test");
            return new Backend("sqlite", "sqlite:///" + dir.resolve("mlflow.db"), () -> deleteTree(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Backend postgres() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_JDBC); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for this test: " + e.getMessage(), e);
        }
        String uri = "postgresql://postgres@127.0.0.1:5432/test?currentSchema=" + schema;
        return new Backend("postgresql", uri, () -> {
            try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_JDBC); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public static boolean postgresAvailable() {
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_JDBC)) {
            return c.isValid(2);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI must provide PostgreSQL at 127.0.0.1:5432: " + e.getMessage(), e);
            }
            return false;
        }
    }

    public static Backend of(String kind) {
        return "postgresql".equals(kind) ? postgres() : sqlite();
    }

    public String uri() {
        return uri;
    }

    public String kind() {
        return kind;
    }

    @Override
    public void close() {
        cleanup.run();
    }

    /** Removes a temporary folder and what is in it; a leftover is harmless, so failures are ignored. */
    public static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    @Override
    public String toString() {
        return kind;
    }
}
