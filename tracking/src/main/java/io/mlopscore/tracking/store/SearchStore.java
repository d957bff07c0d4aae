package io.mlopscore.tracking.store;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.tracking.model.Experiment;
import io.mlopscore.tracking.model.Run;
import io.mlopscore.tracking.search.ExperimentClause;
import io.mlopscore.tracking.search.ExperimentFilterParser;
import io.mlopscore.tracking.search.ExperimentOrderBy;
import io.mlopscore.tracking.search.ExperimentSearchSql;
import io.mlopscore.tracking.search.PageToken;
import io.mlopscore.tracking.search.RunClause;
import io.mlopscore.tracking.search.RunFilterParser;
import io.mlopscore.tracking.search.RunOrderBy;
import io.mlopscore.tracking.search.RunSearchSql;
import io.mlopscore.tracking.search.SearchLimits;
import io.mlopscore.tracking.search.SqlQuery;
import io.mlopscore.tracking.search.ViewType;
import java.util.List;

/**
 * Search-runs and search-experiments: the filter and ordering run in SQL (see the search package),
 * which returns one page of ids; only that page's runs are then loaded.
 */
public final class SearchStore {
    /** One page of results, and the token of the next page if there is one. */
    public record Page<T>(List<T> items, String nextPageToken) {}

    public static final int MAX_FILTER_CLAUSES = 100;
    public static final int MAX_ORDER_BY_KEYS = 20;

    private final Database db;
    private final ExperimentStore experiments;
    private final RunStore runs;

    public SearchStore(Database db, ExperimentStore experiments, RunStore runs) {
        this.db = db;
        this.experiments = experiments;
        this.runs = runs;
    }

    public Page<Run> searchRuns(List<String> experimentIds, String filter, String viewType, Long maxResults, List<String> orderBy, String pageToken) {
        long max = maxResults == null ? SearchLimits.SEARCH_MAX_RESULTS_DEFAULT : maxResults;
        SearchLimits.checkSearchRuns(max);
        int offset = PageToken.decode(pageToken);
        // One row more than the page tells whether a next page exists (MLflow gives a token for
        // every full page, even the last; a client then makes one empty request more).
        List<RunClause> clauses = RunFilterParser.parse(filter);
        checkComplexity(clauses.size(), orderBy.size());
        SqlQuery query = RunSearchSql.compileParsed(experimentIds, clauses, ViewType.parse(viewType), RunOrderBy.parseAll(orderBy), (int) max + 1, offset, db.dialect());
        return db.read(c -> {
            List<String> ids = Sql.query(c, query, rs -> rs.getString(1));
            String next = PageToken.nextForExperiments(offset, (int) max, ids.size());
            List<String> page = ids.size() > max ? ids.subList(0, (int) max) : ids;
            return new Page<>(runs.getMany(c, page), next);
        });
    }

    public Page<Experiment> searchExperiments(String filter, List<String> orderBy, String viewType, Long maxResults, String pageToken) {
        long max = maxResults == null ? SearchLimits.SEARCH_MAX_RESULTS_DEFAULT : maxResults;
        SearchLimits.checkSearchExperiments(max);
        int offset = PageToken.decode(pageToken);
        List<ExperimentClause> clauses = ExperimentFilterParser.parse(filter);
        checkComplexity(clauses.size(), orderBy.size());
        SqlQuery query = ExperimentSearchSql.compileParsed(clauses, ViewType.parse(viewType), ExperimentOrderBy.parseAll(orderBy), (int) max + 1, offset, db.dialect());
        return db.read(c -> {
            List<Long> ids = Sql.query(c, query, rs -> rs.getLong(1));
            String next = PageToken.nextForExperiments(offset, (int) max, ids.size());
            List<Long> page = ids.size() > max ? ids.subList(0, (int) max) : ids;
            return new Page<>(experiments.getMany(c, page), next);
        });
    }

    /**
     * Each clause and each order_by key is a subquery or join: SQLite stops at 64 joins and a
     * thousand-clause filter keeps PostgreSQL busy for minutes. No real search comes near these.
     */
    static void checkComplexity(int clauses, int orderByKeys) {
        if (clauses > MAX_FILTER_CLAUSES) {
            throw ApiException.invalid("The filter has " + clauses + " clauses; at most " + MAX_FILTER_CLAUSES + " are allowed.");
        }
        if (orderByKeys > MAX_ORDER_BY_KEYS) {
            throw ApiException.invalid("order_by has " + orderByKeys + " keys; at most " + MAX_ORDER_BY_KEYS + " are allowed.");
        }
    }
}
