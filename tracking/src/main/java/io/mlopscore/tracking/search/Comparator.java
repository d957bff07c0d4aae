package io.mlopscore.tracking.search;

import java.util.Locale;

/** The comparators of MLflow's search grammar, with their SQL operator. */
public enum Comparator {
    EQUALS("="),
    NOT_EQUALS("!="),
    LESS_THAN("<"),
    LESS_THAN_OR_EQUALS("<="),
    GREATER_THAN(">"),
    GREATER_THAN_OR_EQUALS(">="),
    LIKE("LIKE"),
    ILIKE("ILIKE"),
    IN("IN"),
    NOT_IN("NOT IN");

    private final String symbol;

    Comparator(String symbol) {
        this.symbol = symbol;
    }

    /** As written in a filter (and in MLflow's messages): {@code =}, {@code LIKE}, {@code NOT IN}... */
    public String symbol() {
        return symbol;
    }

    /** Parses an operator or keyword sequence as written, keywords in any case; null if unknown. */
    static Comparator fromText(String text) {
        String normalized = text.toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (Comparator c : values()) {
            if (c.symbol.equals(normalized)) {
                return c;
            }
        }
        return null;
    }

    boolean takesList() {
        return this == IN || this == NOT_IN;
    }

    @Override
    public String toString() {
        return symbol;
    }
}
