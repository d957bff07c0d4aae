package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.store.Dialect;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a search-runs request into one SQL query selecting {@code runs.run_uuid}, one page in
 * MLflow 2.19's order, with all filtering, ordering and paging done by the database:
 * <ul>
 *   <li>metric, param, tag, run_name and dataset clauses are EXISTS subqueries on latest_metrics,
 *       params, tags (run_name is the {@code mlflow.runName} tag, as in MLflow, so runs logged
 *       before the name column existed match too) and inputs/datasets/input_tags; each probes
 *       an index by run;</li>
 *   <li>each order_by term first sorts present values before missing ones (and, for metrics,
 *       numbers before NaN before missing), whatever the direction, then by value; MLflow does
 *       this with the same CASE expressions;</li>
 *   <li>then start_time descending (unless ordered by already) and run_uuid ascending break ties.</li>
 * </ul>
 */
public final class RunSearchSql {
    /** The tag that holds a run's name. */
    static final String RUN_NAME_TAG = "mlflow.runName";

    private RunSearchSql() {}

    /**
     * @param experimentIds the experiments to search; ids that are not integers match nothing
     * @param maxResults    page size (check it first with {@link SearchLimits#checkSearchRuns})
     * @param offset        rows to skip, from {@link PageToken#decode}
     */
    public static SqlQuery compile(List<String> experimentIds, String filter, ViewType viewType,
                                   List<String> orderBy, int maxResults, int offset, Dialect dialect) {
        return compileParsed(experimentIds, RunFilterParser.parse(filter), viewType, RunOrderBy.parseAll(orderBy),
                maxResults, offset, dialect);
    }

    /** The same from parsed clauses and order_by terms. */
    public static SqlQuery compileParsed(List<String> experimentIds, List<RunClause> clauses, ViewType viewType,
                                         List<RunOrderBy> orderBy, int maxResults, int offset, Dialect dialect) {
        if (maxResults < 0 || offset < 0) {
            throw ApiException.invalid("max_results and the page offset must not be negative, got "
                    + maxResults + " and " + offset);
        }
        List<RunOrderBy> terms = orderBy == null ? List.of() : orderBy;
        ViewType view = viewType == null ? ViewType.ACTIVE_ONLY : viewType;
        SqlWriter joins = new SqlWriter(dialect);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            orderTerm(terms.get(i), "o" + (i + 1), joins, order);
        }
        if (terms.stream().noneMatch(t -> t.attribute() == RunAttribute.START_TIME)) {
            order.add("runs.start_time DESC"); // without a CASE, as MLflow: a NULL start_time goes where the engine puts it
        }
        order.add("runs.run_uuid");

        SqlWriter where = new SqlWriter(dialect).sql(" WHERE ");
        where.in("runs.experiment_id", integerIds(experimentIds), false);
        where.sql(" AND ").in("runs.lifecycle_stage", view.lifecycleStages(), false);
        for (int i = 0; i < clauses.size(); i++) {
            where.sql(" AND ");
            predicate(clauses.get(i), "f" + (i + 1), where);
        }

        return new SqlWriter(dialect).sql("SELECT runs.run_uuid FROM runs").append(joins).append(where)
                .sql(" ORDER BY ").sql(String.join(", ", order))
                .sql(" LIMIT ").bind(maxResults).sql(" OFFSET ").bind(offset)
                .toQuery();
    }

    private static void orderTerm(RunOrderBy term, String alias, SqlWriter joins, List<String> order) {
        String direction = term.ascending() ? "" : " DESC";
        if (term.type() == EntityType.ATTRIBUTE) {
            String column = "runs." + term.attribute().column();
            order.add("CASE WHEN " + column + " IS NULL THEN 1 ELSE 0 END");
            order.add(column + direction);
            return;
        }
        String table = switch (term.type()) {
            case METRIC -> "latest_metrics";
            case PARAM -> "params";
            case TAG -> "tags";
            default -> throw new IllegalArgumentException("cannot order runs by " + term.type());
        };
        // One row at most per run: (key, run_uuid) is the table's primary key.
        joins.sql(" LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_uuid = runs.run_uuid AND "
                + alias + ".key = ").bind(term.key());
        if (term.type() == EntityType.METRIC) {
            order.add("CASE WHEN " + alias + ".is_nan THEN 1 WHEN " + alias + ".value IS NULL THEN 2 ELSE 0 END");
        } else {
            order.add("CASE WHEN " + alias + ".value IS NULL THEN 1 ELSE 0 END");
        }
        order.add(alias + ".value" + direction);
    }

    private static void predicate(RunClause clause, String alias, SqlWriter where) {
        Comparator comparator = clause.comparator();
        switch (clause.type()) {
            case METRIC -> keyed("latest_metrics", alias, clause.key(), where)
                    .compare(alias + ".value", comparator, ((FilterValue.Number) clause.value()).asDouble()).sql(")");
            case PARAM -> keyed("params", alias, clause.key(), where)
                    .compare(alias + ".value", comparator, clause.value().jdbcValue()).sql(")");
            case TAG -> keyed("tags", alias, clause.key(), where)
                    .compare(alias + ".value", comparator, clause.value().jdbcValue()).sql(")");
            case ATTRIBUTE -> {
                if (clause.attribute() == RunAttribute.RUN_NAME) {
                    keyed("tags", alias, RUN_NAME_TAG, where)
                            .compare(alias + ".value", comparator, clause.value().jdbcValue()).sql(")");
                } else {
                    where.compare("runs." + clause.attribute().column(), comparator, clause.value().jdbcValue());
                }
            }
            case DATASET -> dataset(clause, alias, where);
        }
    }

    /** Opens {@code EXISTS (SELECT 1 FROM table alias WHERE <run and key match> AND }; the caller closes it. */
    private static SqlWriter keyed(String table, String alias, String key, SqlWriter where) {
        return where.sql("EXISTS (SELECT 1 FROM " + table + " " + alias + " WHERE " + alias
                + ".run_uuid = runs.run_uuid AND " + alias + ".key = ").bind(key).sql(" AND ");
    }

    private static void dataset(RunClause clause, String alias, SqlWriter where) {
        String dataset = alias + "d";
        String tag = alias + "t";
        where.sql("EXISTS (SELECT 1 FROM inputs " + alias + " JOIN datasets " + dataset + " ON " + dataset
                + ".dataset_uuid = " + alias + ".source_id");
        if (clause.datasetField() == DatasetField.CONTEXT) {
            where.sql(" JOIN input_tags " + tag + " ON " + tag + ".input_uuid = " + alias + ".input_uuid");
        }
        // The type columns lead the inputs index; in MLflow 2.19 every input is a dataset of a run.
        where.sql(" WHERE " + alias + ".destination_type = ").bind("RUN")
                .sql(" AND " + alias + ".destination_id = runs.run_uuid AND " + alias + ".source_type = ").bind("DATASET")
                .sql(" AND ");
        if (clause.datasetField() == DatasetField.CONTEXT) {
            where.sql(tag + ".name = ").bind(DatasetField.CONTEXT_TAG).sql(" AND ")
                    .compare(tag + ".value", clause.comparator(), clause.value().jdbcValue());
        } else {
            where.compare(dataset + "." + clause.datasetField().key(), clause.comparator(), clause.value().jdbcValue());
        }
        where.sql(")");
    }

    private static List<Long> integerIds(List<String> experimentIds) {
        List<Long> ids = new ArrayList<>();
        for (String id : experimentIds == null ? List.<String>of() : experimentIds) {
            try {
                ids.add(Long.parseLong(id.strip()));
            } catch (NumberFormatException | NullPointerException notAnId) {
                // experiment_id is an integer column: such an id names no experiment
            }
        }
        return ids;
    }
}
