package io.mlopscore.tracking.search;

/**
 * One lexical unit of a search filter or order_by clause.
 *
 * @param text  the token as written, quotes included
 * @param value the content: a quoted token without its quotes (escapes kept as written, as MLflow
 *              keeps them), otherwise the same as {@code text}
 * @param start offset of the first character in the source string
 * @param end   offset just past the last character
 */
record Token(Kind kind, String text, String value, int start, int end) {

    enum Kind {
        /** A bare name: letters, digits and underscores. Keywords (AND, IN, LIKE...) are words too. */
        WORD,
        /** 'single-quoted' */
        SINGLE_QUOTED,
        /** "double-quoted" */
        DOUBLE_QUOTED,
        /** `backticked` */
        BACKTICKED,
        NUMBER,
        /** A run of {@code < > = ! ~}; whether it is a comparator MLflow knows is decided later. */
        OPERATOR,
        /** A dot directly between two name parts, as in {@code metrics.acc}. */
        DOT,
        LEFT_PAREN,
        RIGHT_PAREN,
        COMMA
    }

    boolean isWord(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Name parts make up identifiers: bare, "double-quoted" or `backticked`. */
    boolean isNamePart() {
        return kind == Kind.WORD || kind == Kind.DOUBLE_QUOTED || kind == Kind.BACKTICKED;
    }

    boolean isQuotedString() {
        return kind == Kind.SINGLE_QUOTED || kind == Kind.DOUBLE_QUOTED;
    }
}
