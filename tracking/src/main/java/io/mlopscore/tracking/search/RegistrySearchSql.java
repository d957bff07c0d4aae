package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.store.Dialect;
import java.util.List;

/**
 * Compiles search-registered-models and search-model-versions into one SQL query each, filter,
 * order and page all done by the database with bound values. Tag clauses are EXISTS subqueries,
 * so a model or version without the tag never matches (as MLflow's joins behave). Soft-deleted
 * versions are never returned. NULL timestamps sort where the engine puts them, as in MLflow.
 */
public final class RegistrySearchSql {
    /** max_results when a search-registered-models request has none (the proto default). */
    public static final int MODELS_MAX_RESULTS_DEFAULT = 100;
    public static final int MODELS_MAX_RESULTS_LIMIT = 1000;
    /** max_results when a search-model-versions request has none (the proto default; MLflow's store default is 1000). */
    public static final int VERSIONS_MAX_RESULTS_DEFAULT = 200_000;
    public static final int VERSIONS_MAX_RESULTS_LIMIT = 200_000;
    private static final String DELETED_STAGE = "Deleted_Internal";

    private RegistrySearchSql() {}

    /** 1..1000, with the handler's messages. */
    public static void checkModelsMaxResults(long maxResults) {
        if (maxResults < 1) {
            throw ApiException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. It must be a positive integer");
        }
        if (maxResults > MODELS_MAX_RESULTS_LIMIT) {
            throw ApiException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. It must be at most "
                    + MODELS_MAX_RESULTS_LIMIT);
        }
    }

    /** 1..200000, with the store's and handler's messages. */
    public static void checkVersionsMaxResults(long maxResults) {
        if (maxResults < 1) {
            throw ApiException.invalid("Invalid value for max_results. It must be a positive integer, but got " + maxResults);
        }
        if (maxResults > VERSIONS_MAX_RESULTS_LIMIT) {
            throw ApiException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. It must be at most "
                    + VERSIONS_MAX_RESULTS_LIMIT);
        }
    }

    /**
     * Selects {@code registered_models.name}.
     *
     * @param limit rows to fetch: max_results + 1 tells whether a next page exists
     */
    public static SqlQuery registeredModels(String filter, List<String> orderBy, int limit, int offset, Dialect dialect) {
        List<RegistryClause> clauses = RegistryFilterParser.parseRegisteredModels(filter);
        List<RegistryOrderBy> order = RegistryOrderBy.parseForModels(orderBy);
        SqlWriter sql = new SqlWriter(dialect).sql("SELECT registered_models.name FROM registered_models WHERE 1 = 1");
        for (int i = 0; i < clauses.size(); i++) {
            RegistryClause clause = clauses.get(i);
            sql.sql(" AND ");
            if (clause.type() == EntityType.TAG) {
                String t = "f" + (i + 1);
                sql.sql("EXISTS (SELECT 1 FROM registered_model_tags " + t + " WHERE " + t + ".name = registered_models.name AND "
                        + t + ".key = ").bind(clause.column()).sql(" AND ").compare(t + ".value", clause.comparator(), clause.value().jdbcValue())
                        .sql(")");
            } else {
                sql.compare("registered_models." + clause.column(), clause.comparator(), clause.value().jdbcValue());
            }
        }
        return finish(sql, "registered_models", order, limit, offset);
    }

    /** Selects every column of {@code model_versions}, live versions only. */
    public static SqlQuery modelVersions(String filter, List<String> orderBy, int limit, int offset, Dialect dialect) {
        List<RegistryClause> clauses = RegistryFilterParser.parseModelVersions(filter);
        List<RegistryOrderBy> order = RegistryOrderBy.parseForVersions(orderBy);
        SqlWriter sql = new SqlWriter(dialect).sql("SELECT model_versions.* FROM model_versions WHERE model_versions.current_stage <> ")
                .bind(DELETED_STAGE);
        for (int i = 0; i < clauses.size(); i++) {
            RegistryClause clause = clauses.get(i);
            sql.sql(" AND ");
            if (clause.type() == EntityType.TAG) {
                String t = "f" + (i + 1);
                sql.sql("EXISTS (SELECT 1 FROM model_version_tags " + t + " WHERE " + t + ".name = model_versions.name AND "
                        + t + ".version = model_versions.version AND " + t + ".key = ").bind(clause.column())
                        .sql(" AND ").compare(t + ".value", clause.comparator(), clause.value().jdbcValue()).sql(")");
            } else {
                sql.compare("model_versions." + clause.column(), clause.comparator(), clause.value().jdbcValue());
            }
        }
        return finish(sql, "model_versions", order, limit, offset);
    }

    private static SqlQuery finish(SqlWriter sql, String table, List<RegistryOrderBy> order, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw ApiException.invalid("max_results and the page offset must not be negative, got " + limit + " and " + offset);
        }
        sql.sql(" ORDER BY ");
        for (int i = 0; i < order.size(); i++) {
            RegistryOrderBy term = order.get(i);
            sql.sql((i > 0 ? ", " : "") + table + "." + term.column() + (term.ascending() ? " ASC" : " DESC"));
        }
        return sql.sql(" LIMIT ").bind(limit).sql(" OFFSET ").bind(offset).toQuery();
    }
}
