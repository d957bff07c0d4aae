package io.mlopscore.tracking.search;

import io.mlopscore.tracking.store.Dialect;
import java.util.ArrayList;
import java.util.List;

/** Builds SQL text and its bound values side by side, so no value is ever written into the text. */
final class SqlWriter {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> params = new ArrayList<>();
    private final Dialect dialect;

    SqlWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    SqlWriter sql(String text) {
        sql.append(text);
        return this;
    }

    SqlWriter bind(Object value) {
        sql.append('?');
        params.add(value);
        return this;
    }

    SqlWriter append(SqlWriter other) {
        sql.append(other.sql);
        params.addAll(other.params);
        return this;
    }

    /** {@code column IN (?, ...)}; an empty list matches nothing (NOT IN: everything), as in SQLAlchemy. */
    SqlWriter in(String column, List<?> values, boolean negated) {
        if (values.isEmpty()) {
            return sql(negated ? "1 = 1" : "1 = 0");
        }
        sql(column).sql(negated ? " NOT IN (" : " IN (");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sql(", ");
            }
            bind(values.get(i));
        }
        return sql(")");
    }

    /**
     * {@code column <comparator> value}. LIKE is case-sensitive and ILIKE is not, on both engines,
     * as in MLflow's SQL store; see {@link Dialect#like} and {@link Dialect#ilike}.
     *
     * @param value a String, Long or Double, or a List of Strings for IN / NOT IN
     */
    SqlWriter compare(String column, Comparator comparator, Object value) {
        switch (comparator) {
            case LIKE -> {
                sql(dialect.like(column, "?"));
                params.add(dialect.likePattern((String) value));
            }
            case ILIKE -> {
                sql(dialect.ilike(column, "?"));
                params.add(value);
            }
            case IN, NOT_IN -> in(column, (List<?>) value, comparator == Comparator.NOT_IN);
            default -> sql(column).sql(" ").sql(comparator.symbol()).sql(" ").bind(value);
        }
        return this;
    }

    SqlQuery toQuery() {
        return new SqlQuery(sql.toString(), params);
    }
}
