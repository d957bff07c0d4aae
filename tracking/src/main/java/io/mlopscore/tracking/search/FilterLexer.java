package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter or order_by string into {@link Token}s, the way MLflow's sqlparse-based parser
 * sees it: quoted strings keep their escapes ({@code ''}, backslash) as written, numbers may be
 * signed and have a fraction and exponent, and a dot only joins name parts that touch it.
 */
final class FilterLexer {
    private final String source;
    private final String what;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;

    private FilterLexer(String source, String what) {
        this.source = source;
        this.what = what;
    }

    /** @param what names the input in error messages: "filter" or "order_by clause" */
    static List<Token> tokenize(String source, String what) {
        FilterLexer lexer = new FilterLexer(source, what);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '.' && touchesPreviousNamePart()) {
                add(Token.Kind.DOT, pos, pos + 1);
                if (pos < source.length() && isWordChar(source.charAt(pos))) {
                    word(); // a key after a dot may start with a digit: metrics.1st_loss
                }
            } else if (c == '\'' || c == '"') {
                quoted(c, c == '\'' ? Token.Kind.SINGLE_QUOTED : Token.Kind.DOUBLE_QUOTED);
            } else if (c == '`') {
                backticked();
            } else if (startsNumber()) {
                number();
            } else if (isWordChar(c)) {
                word();
            } else if ("<>=!~".indexOf(c) >= 0) {
                int start = pos;
                while (pos < source.length() && "<>=!~".indexOf(source.charAt(pos)) >= 0) {
                    pos++;
                }
                add(Token.Kind.OPERATOR, start, pos);
            } else if (c == '(') {
                add(Token.Kind.LEFT_PAREN, pos, pos + 1);
            } else if (c == ')') {
                add(Token.Kind.RIGHT_PAREN, pos, pos + 1);
            } else if (c == ',') {
                add(Token.Kind.COMMA, pos, pos + 1);
            } else {
                throw SearchErrors.syntax(what, source, pos,
                        "unexpected character '" + c + "'" + (c == ';' ? " (only one expression is allowed)" : ""));
            }
        }
    }

    private boolean touchesPreviousNamePart() {
        if (tokens.isEmpty()) {
            return false;
        }
        Token last = tokens.get(tokens.size() - 1);
        return last.end() == pos && last.isNamePart();
    }

    private boolean startsNumber() {
        int i = pos;
        if (source.charAt(i) == '-') {
            i++;
        }
        if (i < source.length() && source.charAt(i) == '.') {
            i++;
        }
        return i < source.length() && isAsciiDigit(source.charAt(i));
    }

    private void number() {
        int start = pos;
        if (source.charAt(pos) == '-') {
            pos++;
        }
        skipDigits();
        if (pos < source.length() && source.charAt(pos) == '.') {
            pos++;
            skipDigits();
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < source.length() && (source.charAt(pos) == '+' || source.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < source.length() && isAsciiDigit(source.charAt(pos))) {
                skipDigits();
            } else {
                pos = mark; // not an exponent after all; the letter is reported below
            }
        }
        if (pos < source.length() && isWordChar(source.charAt(pos))) {
            throw SearchErrors.syntax(what, source, start,
                    "malformed number '" + source.substring(start, wordEnd(pos)) + "'");
        }
        add(Token.Kind.NUMBER, start, pos);
    }

    private void word() {
        int start = pos;
        pos = wordEnd(pos);
        add(Token.Kind.WORD, start, pos);
    }

    private void quoted(char quote, Token.Kind kind) {
        int start = pos++;
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (c == '\\' && pos + 1 < source.length()) {
                pos += 2; // an escaped character, kept as written
            } else if (c == quote && pos + 1 < source.length() && source.charAt(pos + 1) == quote) {
                pos += 2; // a doubled quote, kept as written
            } else if (c == quote) {
                pos++;
                add(kind, start, pos);
                return;
            } else {
                pos++;
            }
        }
        throw SearchErrors.syntax(what, source, start,
                "unterminated " + (quote == '\'' ? "single" : "double") + "-quoted string");
    }

    private void backticked() {
        int start = pos;
        int close = source.indexOf('`', pos + 1);
        if (close < 0) {
            throw SearchErrors.syntax(what, source, start, "unterminated backtick-quoted name");
        }
        pos = close + 1;
        add(Token.Kind.BACKTICKED, start, pos);
    }

    private void add(Token.Kind kind, int start, int end) {
        String text = source.substring(start, end);
        boolean quoted = kind == Token.Kind.SINGLE_QUOTED || kind == Token.Kind.DOUBLE_QUOTED
                || kind == Token.Kind.BACKTICKED;
        tokens.add(new Token(kind, text, quoted ? text.substring(1, text.length() - 1) : text, start, end));
        pos = end;
    }

    private void skipDigits() {
        while (pos < source.length() && isAsciiDigit(source.charAt(pos))) {
            pos++;
        }
    }

    private int wordEnd(int from) {
        int i = from;
        while (i < source.length() && isWordChar(source.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
