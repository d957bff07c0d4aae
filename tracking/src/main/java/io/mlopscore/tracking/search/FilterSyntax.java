package io.mlopscore.tracking.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of MLflow's search grammar, before any meaning is given to names:
 * <pre>
 *   filter     := [clause (AND clause)*]
 *   clause     := identifier comparator value
 *   identifier := part ('.' part)*        part := name | "name" | `name`
 *   comparator := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE | IN | NOT IN   (keywords in any case)
 *   value      := 'text' | "text" | number | '(' 'text' (',' 'text')* ')'
 *   order_by   := identifier [ASC | DESC]
 * </pre>
 * Like MLflow, stray ANDs (leading, trailing, doubled) are tolerated; OR, parentheses around
 * clauses and clauses without AND between them are not. Which entities, keys, comparators and
 * value types go together is checked by {@link RunFilterParser} and {@link ExperimentFilterParser}.
 */
final class FilterSyntax {
    static final String FILTER = "filter";
    static final String ORDER_BY = "order_by clause";

    /**
     * A left-hand side. {@code prefix} is the part before the first dot (null when there is no
     * dot), without backticks; {@code key} is the rest without its quotes.
     */
    record Identifier(String prefix, boolean prefixBackticked, String key, String text, Token first) {}

    /** A right-hand side as written. */
    sealed interface Value {
        Token first();
    }

    /** 'single' or "double" quoted text. */
    record Quoted(Token first) implements Value {}

    record Number(Token first) implements Value {}

    /** A parenthesized list; items are quoted strings of either kind (callers check which). */
    record ValueList(Token first, List<Token> items) implements Value {}

    /** A name where a value was expected, e.g. {@code params.a = LR} or {@code metrics.a != metrics.b}. */
    record Unquoted(Token first, String text) implements Value {}

    record Clause(Identifier identifier, Comparator comparator, Token comparatorToken, String comparatorText, Value value) {}

    record OrderTerm(Identifier identifier, boolean ascending) {}

    private final String source;
    private final String what;
    private final List<Token> tokens;
    private int i;

    private FilterSyntax(String source, String what) {
        this.source = source;
        this.what = what;
        this.tokens = FilterLexer.tokenize(source, what);
    }

    static List<Clause> parseFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new FilterSyntax(filter, FILTER).clauses();
    }

    static OrderTerm parseOrderBy(String orderBy) {
        if (orderBy == null || orderBy.isEmpty()) {
            throw SearchErrors.syntax(ORDER_BY, String.valueOf(orderBy), 0, "expected an identifier such as metrics.acc");
        }
        if (!orderBy.equals(orderBy.strip())) {
            // MLflow (sqlparse) rejects these too: the clause is then more than one token.
            throw SearchErrors.syntax(ORDER_BY, orderBy, 0, "leading or trailing whitespace is not allowed");
        }
        return new FilterSyntax(orderBy, ORDER_BY).orderTerm();
    }

    private List<Clause> clauses() {
        List<Clause> clauses = new ArrayList<>();
        skipAnds();
        while (i < tokens.size()) {
            clauses.add(clause());
            if (i == tokens.size()) {
                break;
            }
            Token next = tokens.get(i);
            if (next.isWord("AND")) {
                skipAnds();
            } else if (next.isWord("OR")) {
                throw orError(next);
            } else {
                throw SearchErrors.at(what, source, next, "Invalid clause(s) in filter string: expected AND after a complete clause");
            }
        }
        return clauses;
    }

    private void skipAnds() {
        while (i < tokens.size() && tokens.get(i).isWord("AND")) {
            i++;
        }
    }

    private Clause clause() {
        Token start = tokens.get(i);
        if (start.isWord("OR")) {
            throw orError(start);
        }
        if (start.kind() == Token.Kind.LEFT_PAREN) {
            throw SearchErrors.at(what, source, start,
                    "Invalid clause(s) in filter string: parentheses are only allowed around the list of IN / NOT IN");
        }
        if (!start.isNamePart()) {
            throw SearchErrors.at(what, source, start, "Invalid comparison clause: expected an identifier "
                    + "(e.g. metrics.acc, params.lr, tags.team, attributes.status, datasets.name)");
        }
        Identifier identifier = identifier();
        Token comparatorToken = expectToken("expected a comparator after '" + identifier.text() + "'");
        String comparatorText = comparatorText(comparatorToken);
        Comparator comparator = Comparator.fromText(comparatorText);
        if (comparator == null) {
            throw SearchErrors.at(what, source, comparatorToken, "Invalid comparator '" + comparatorText
                    + "', not one of [=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN]");
        }
        Value value = value(comparatorText);
        return new Clause(identifier, comparator, comparatorToken, comparatorText, value);
    }

    /** Consumes the comparator's token(s) and returns them as one string ("NOT IN"). */
    private String comparatorText(Token token) {
        if (token.kind() == Token.Kind.OPERATOR) {
            i++;
            return token.text();
        }
        if (token.isWord("NOT") && i + 1 < tokens.size() && tokens.get(i + 1).kind() == Token.Kind.WORD) {
            String text = "NOT " + tokens.get(i + 1).text();
            i += 2;
            return text;
        }
        if (token.isWord("LIKE") || token.isWord("ILIKE") || token.isWord("IN")) {
            i++;
            return token.text();
        }
        throw SearchErrors.at(what, source, token, "Invalid comparison clause: expected a comparator "
                + "(=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN)");
    }

    private Value value(String comparatorText) {
        Token token = expectToken("expected a value after '" + comparatorText + "'");
        switch (token.kind()) {
            case SINGLE_QUOTED, NUMBER -> {
                i++;
                return token.kind() == Token.Kind.NUMBER ? new Number(token) : new Quoted(token);
            }
            case LEFT_PAREN -> {
                return list();
            }
            case WORD, DOUBLE_QUOTED, BACKTICKED -> {
                Identifier name = identifier();
                boolean plainString = token.kind() == Token.Kind.DOUBLE_QUOTED && name.prefix() == null;
                return plainString ? new Quoted(token) : new Unquoted(token, name.text());
            }
            default -> throw SearchErrors.at(what, source, token, "expected a value (a quoted string, a number or a list)");
        }
    }

    private ValueList list() {
        Token open = tokens.get(i++);
        List<Token> items = new ArrayList<>();
        while (true) {
            Token item = expectToken("unclosed list started at position " + open.start());
            if (item.kind() == Token.Kind.RIGHT_PAREN && items.isEmpty()) {
                throw SearchErrors.at(what, source, item, "While parsing a list in the query, expected a "
                        + "non-empty list of string values, but got empty list");
            }
            if (!item.isQuotedString()) {
                throw SearchErrors.at(what, source, item, "While parsing a list in the query, expected a quoted string value");
            }
            items.add(item);
            i++;
            Token separator = expectToken("unclosed list started at position " + open.start());
            i++;
            if (separator.kind() == Token.Kind.RIGHT_PAREN) {
                return new ValueList(open, List.copyOf(items));
            }
            if (separator.kind() != Token.Kind.COMMA) {
                throw SearchErrors.at(what, source, separator, "expected ',' or ')' in the list");
            }
        }
    }

    /** Reads name parts joined by dots; the current token is a name part. */
    private Identifier identifier() {
        List<Token> parts = new ArrayList<>();
        parts.add(tokens.get(i++));
        while (i < tokens.size() && tokens.get(i).kind() == Token.Kind.DOT) {
            Token dot = tokens.get(i);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (next == null || !next.isNamePart() || next.start() != dot.end()) {
                throw SearchErrors.at(what, source, dot, "expected a name right after '.'");
            }
            parts.add(next);
            i += 2;
        }
        Token first = parts.get(0);
        String text = source.substring(first.start(), parts.get(parts.size() - 1).end());
        if (parts.size() == 1) {
            return new Identifier(null, false, first.value(), text, first);
        }
        // The prefix keeps double quotes so that it is reported as the invalid entity type it is.
        String prefix = first.kind() == Token.Kind.DOUBLE_QUOTED ? first.text() : first.value();
        List<Token> keyParts = parts.subList(1, parts.size());
        String key;
        if (keyParts.size() == 1) {
            key = keyParts.get(0).value();
        } else if (keyParts.stream().allMatch(p -> p.kind() == Token.Kind.WORD)) {
            key = String.join(".", keyParts.stream().map(Token::value).toList()); // tags.mlflow.runName
        } else {
            throw SearchErrors.at(what, source, first, "a quoted key must be the whole key after the prefix, "
                    + "e.g. tags.`my.key` or tags.\"my key\"");
        }
        return new Identifier(prefix, first.kind() == Token.Kind.BACKTICKED, key, text, first);
    }

    private OrderTerm orderTerm() {
        Token start = tokens.get(0);
        if (!start.isNamePart()) {
            throw SearchErrors.at(what, source, start, "expected an identifier such as metrics.acc or attributes.start_time");
        }
        Identifier identifier = identifier();
        if (i == tokens.size()) {
            return new OrderTerm(identifier, true);
        }
        Token direction = tokens.get(i);
        if (direction.kind() != Token.Kind.WORD || i != tokens.size() - 1) {
            throw SearchErrors.at(what, source, direction, "Could not be parsed; expected '<identifier> [ASC|DESC]'");
        }
        if (direction.isWord("ASC") || direction.isWord("DESC")) {
            return new OrderTerm(identifier, direction.isWord("ASC"));
        }
        throw SearchErrors.at(what, source, direction, "Invalid ordering key; expected ASC or DESC");
    }

    private Token expectToken(String detail) {
        if (i >= tokens.size()) {
            throw SearchErrors.atEnd(what, source, detail);
        }
        return tokens.get(i);
    }

    private RuntimeException orError(Token token) {
        return SearchErrors.at(what, source, token,
                "Invalid clause(s) in filter string: OR is not supported, clauses can only be joined with AND");
    }
}
