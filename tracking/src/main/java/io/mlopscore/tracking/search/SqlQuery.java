package io.mlopscore.tracking.search;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * A compiled search: SQL with {@code ?} placeholders and the values to bind to them, in order.
 * Values are String, Long, Integer or Double.
 */
public record SqlQuery(String sql, List<Object> params) {
    public SqlQuery {
        params = List.copyOf(params);
    }

    /** Binds {@link #params()} to a statement prepared from {@link #sql()}. */
    public void bind(PreparedStatement statement) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            statement.setObject(i + 1, params.get(i));
        }
    }
}
