package io.mlopscore.tracking.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@code --backend-store-uri} in MLflow's (SQLAlchemy's) form, turned into JDBC terms.
 *
 * <ul>
 *   <li>{@code sqlite:///mlflow.db}: a file relative to the working folder;
 *       {@code sqlite:////var/lib/mlflow.db}: an absolute path.</li>
 *   <li>{@code postgresql://user:pass@host:5432/db?sslmode=require} (also {@code postgres://} and
 *       {@code postgresql+psycopg2://}).</li>
 * </ul>
 *
 * The password never appears in {@link #redacted()} or {@link #toString()}, which are what logs get.
 */
public record BackendUri(Dialect dialect, String jdbcUrl, String user, String password, Path sqliteFile, String redacted) {

    public static BackendUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("The backend store URI is empty.");
        }
        if (text.startsWith("sqlite:")) {
            return sqlite(text);
        }
        String scheme = text.contains("://") ? text.substring(0, text.indexOf("://")) : "";
        if (scheme.equals("postgresql") || scheme.equals("postgres") || scheme.startsWith("postgresql+")) {
            return postgres(text, scheme);
        }
        throw new IllegalArgumentException("Unsupported backend store URI '" + redact(text)
                + "': use sqlite:///path/to/file.db or postgresql://user:password@host:port/database.");
    }

    private static BackendUri sqlite(String text) {
        if (!text.startsWith("sqlite:///") || text.length() == "sqlite:///".length()) {
            throw new IllegalArgumentException("A SQLite backend store URI names a file: sqlite:///relative.db or sqlite:////absolute/path.db, not '" + text + "'.");
        }
        String pathPart = text.substring("sqlite:///".length());
        int query = pathPart.indexOf('?');
        if (query >= 0) {
            pathPart = pathPart.substring(0, query);
        }
        if (pathPart.equals(":memory:")) {
            throw new IllegalArgumentException("An in-memory SQLite store is not supported: it would be lost at exit. Name a file instead.");
        }
        Path file = Path.of(URLDecoder.decode(pathPart, StandardCharsets.UTF_8)).toAbsolutePath().normalize();
        return new BackendUri(Dialect.SQLITE, "jdbc:sqlite:" + file, null, null, file, text);
    }

    private static BackendUri postgres(String text, String scheme) {
        URI uri;
        try {
            uri = new URI("postgresql" + text.substring(scheme.length()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Malformed PostgreSQL URI '" + redact(text) + "': " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("The PostgreSQL URI '" + redact(text) + "' names no valid host and port"
                    + " (expected postgresql://user:password@host:port/database, with a numeric port).");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : null;
        }
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1 ? "postgres" : uri.getRawPath().substring(1);
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost()).append(':').append(port).append('/').append(database);
        // Batched inserts are rewritten into multi-row INSERTs: log-batch of 1000 metrics is one round trip.
        jdbc.append("?reWriteBatchedInserts=true");
        if (uri.getRawQuery() != null) {
            jdbc.append('&').append(uri.getRawQuery());
        }
        return new BackendUri(Dialect.POSTGRESQL, jdbc.toString(), user, password, null, redact(text));
    }

    /** The URI with any password replaced by {@code ***}. */
    static String redact(String text) {
        return text.replaceAll("(//[^:/@]*):[^@/]*@", "$1:***@");
    }

    @Override
    public String toString() {
        return redacted;
    }
}
