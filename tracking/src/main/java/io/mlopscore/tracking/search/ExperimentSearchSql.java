package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.store.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a search-experiments request into one SQL query selecting
 * {@code experiments.experiment_id}, in MLflow 2.19's order (default creation_time DESC,
 * experiment_id ASC; experiment_id DESC appended as tie-break). Tag clauses are EXISTS
 * subqueries on experiment_tags. NULL times sort where the engine puts them, as in MLflow.
 */
public final class ExperimentSearchSql {
    private ExperimentSearchSql() {}

    /**
     * @param limit rows to return. MLflow fetches max_results + 1 to know whether there is a next
     *              page ({@link PageToken#nextForExperiments}); check max_results with
     *              {@link SearchLimits#checkSearchExperiments} first
     */
    public static SqlQuery compile(String filter, ViewType viewType, List<String> orderBy, int limit, int offset,
                                   Dialect dialect) {
        return compileParsed(ExperimentFilterParser.parse(filter), viewType, ExperimentOrderBy.parseAll(orderBy),
                limit, offset, dialect);
    }

    /** @param orderBy the complete ordering, as {@link ExperimentOrderBy#parseAll} gives it */
    public static SqlQuery compileParsed(List<ExperimentClause> clauses, ViewType viewType, List<ExperimentOrderBy> orderBy,
                                         int limit, int offset, Dialect dialect) {
        if (limit < 0 || offset < 0) {
            throw ApiException.invalid("max_results and the page offset must not be negative, got " + limit + " and " + offset);
        }
        SqlWriter sql = new SqlWriter(dialect).sql("SELECT experiments.experiment_id FROM experiments WHERE ");
        sql.in("experiments.lifecycle_stage", (viewType == null ? ViewType.ACTIVE_ONLY : viewType).lifecycleStages(), false);
        for (int i = 0; i < clauses.size(); i++) {
            ExperimentClause clause = clauses.get(i);
            sql.sql(" AND ");
            Object value = clause.value().jdbcValue();
            if (clause.type() == EntityType.TAG) {
                String alias = "f" + (i + 1);
                sql.sql("EXISTS (SELECT 1 FROM experiment_tags " + alias + " WHERE " + alias
                                + ".experiment_id = experiments.experiment_id AND " + alias + ".key = ").bind(clause.key())
                        .sql(" AND ").compare(alias + ".value", clause.comparator(), value).sql(")");
            } else {
                sql.compare("experiments." + clause.attribute().key(), clause.comparator(), value);
            }
        }
        List<String> order = new ArrayList<>();
        for (ExperimentOrderBy term : orderBy) {
            order.add("experiments." + term.attribute().key() + (term.ascending() ? " ASC" : " DESC"));
        }
        return sql.sql(" ORDER BY ").sql(String.join(", ", order))
                .sql(" LIMIT ").bind(limit).sql(" OFFSET ").bind(offset)
                .toQuery();
    }
}
