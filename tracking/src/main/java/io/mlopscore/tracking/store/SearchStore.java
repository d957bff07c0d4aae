package io.mlopscore.tracking.store;

import io.mlopscore.tracking.model.Experiment;
import io.mlopscore.tracking.model.Run;
import io.mlopscore.tracking.search.ExperimentSearchSql;
import io.mlopscore.tracking.search.PageToken;
import io.mlopscore.tracking.search.RunSearchSql;
import io.mlopscore.tracking.search.SearchLimits;
import io.mlopscore.tracking.search.SqlQuery;
import io.mlopscore.tracking.search.ViewType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Search-runs and search-experiments: the filter and ordering run in SQL (see the search package),
 * which returns one page of ids; only that page's runs are then loaded.
 */
public final class SearchStore {
    /** One page of results, and the token of the next page if there is one. */
    public record Page<T>(List<T> items, String nextPageToken) {}

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
        SqlQuery query = RunSearchSql.compile(experimentIds, filter, ViewType.parse(viewType), orderBy, (int) max + 1, offset, db.dialect());
        return db.read(c -> {
            List<String> ids = ids(c, query, ResultSetReader.STRING);
            String next = PageToken.nextForExperiments(offset, (int) max, ids.size());
            List<String> page = ids.size() > max ? ids.subList(0, (int) max) : ids;
            return new Page<>(runs.getMany(c, page), next);
        });
    }

    public Page<Experiment> searchExperiments(String filter, List<String> orderBy, String viewType, Long maxResults, String pageToken) {
        long max = maxResults == null ? SearchLimits.SEARCH_MAX_RESULTS_DEFAULT : maxResults;
        SearchLimits.checkSearchExperiments(max);
        int offset = PageToken.decode(pageToken);
        SqlQuery query = ExperimentSearchSql.compile(filter, ViewType.parse(viewType), orderBy, (int) max + 1, offset, db.dialect());
        return db.read(c -> {
            List<Long> ids = ids(c, query, ResultSetReader.LONG);
            String next = PageToken.nextForExperiments(offset, (int) max, ids.size());
            List<Long> page = ids.size() > max ? ids.subList(0, (int) max) : ids;
            return new Page<>(experiments.getMany(c, page), next);
        });
    }

    private interface ResultSetReader<T> {
        ResultSetReader<String> STRING = rs -> rs.getString(1);
        ResultSetReader<Long> LONG = rs -> rs.getLong(1);

        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> ids(Connection c, SqlQuery query, ResultSetReader<T> reader) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(query.sql())) {
            query.bind(p);
            try (ResultSet rs = p.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(reader.read(rs));
                }
                return out;
            }
        }
    }
}
