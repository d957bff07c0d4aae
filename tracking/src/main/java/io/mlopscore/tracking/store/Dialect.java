package io.mlopscore.tracking.store;

/** The SQL engines the store runs on. SQL that differs between them is chosen through this. */
public enum Dialect {
    SQLITE,
    POSTGRESQL;

    /** A case-insensitive LIKE: PostgreSQL has ILIKE; on SQLite both sides are lowered. */
    public String ilike(String column, String placeholder) {
        return this == POSTGRESQL ? column + " ILIKE " + placeholder : "LOWER(" + column + ") LIKE LOWER(" + placeholder + ")";
    }

    /**
     * A case-sensitive LIKE, as MLflow's SQL store has it on both engines (MLflow runs
     * {@code PRAGMA case_sensitive_like = true} on every SQLite session). SQLite's LIKE is
     * case-insensitive unless that pragma is set on the connection, so on SQLite this is a GLOB
     * instead, which is case-sensitive whatever the connection's settings. Bind the pattern through
     * {@link #likePattern(String)}.
     */
    public String like(String column, String placeholder) {
        return this == POSTGRESQL ? column + " LIKE " + placeholder : column + " GLOB " + placeholder;
    }

    /**
     * The value to bind for {@link #like}: a LIKE pattern ({@code %} any run, {@code _} one
     * character) as this engine's operator reads it. On SQLite it becomes the GLOB pattern with
     * the same matches ({@code *}, {@code ?} and {@code [} are made literal). SQLite's LIKE has no
     * escape character without an ESCAPE clause, and neither does this; PostgreSQL's LIKE treats a
     * backslash as its escape character, and the pattern is passed to it unchanged, as MLflow does.
     */
    public String likePattern(String pattern) {
        if (this == POSTGRESQL) {
            return pattern;
        }
        StringBuilder glob = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '%' -> glob.append('*');
                case '_' -> glob.append('?');
                case '*' -> glob.append("[*]");
                case '?' -> glob.append("[?]");
                case '[' -> glob.append("[[]");
                default -> glob.append(c);
            }
        }
        return glob.toString();
    }
}
