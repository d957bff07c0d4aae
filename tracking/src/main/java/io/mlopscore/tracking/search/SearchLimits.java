package io.mlopscore.tracking.search;

import io.mlopscore.common.http.ApiException;

/** MLflow's max_results rules (mlflow/store/tracking/__init__.py and the SQL store's checks). */
public final class SearchLimits {
    /** max_results when the request has none, for runs and experiments alike. */
    public static final int SEARCH_MAX_RESULTS_DEFAULT = 1000;
    /** The most runs one search-runs page may ask for. */
    public static final int SEARCH_RUNS_MAX_RESULTS = 50_000;
    /** The most experiments one search-experiments page may ask for. */
    public static final int SEARCH_EXPERIMENTS_MAX_RESULTS = 50_000;

    private SearchLimits() {}

    /** Search runs: at most 50000. MLflow allows 0 (an empty page); a negative value is refused here. */
    public static void checkSearchRuns(long maxResults) {
        if (maxResults > SEARCH_RUNS_MAX_RESULTS) {
            throw ApiException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + SEARCH_RUNS_MAX_RESULTS + ", but got value " + maxResults);
        }
        if (maxResults < 0) {
            throw ApiException.invalid("Invalid value for request parameter max_results. It must be at least 0, "
                    + "but got value " + maxResults);
        }
    }

    /** Search experiments: a positive integer, at most 50000. */
    public static void checkSearchExperiments(long maxResults) {
        if (maxResults < 1) {
            throw ApiException.invalid("Invalid value for max_results. It must be a positive integer, but got " + maxResults);
        }
        if (maxResults > SEARCH_EXPERIMENTS_MAX_RESULTS) {
            throw ApiException.invalid("Invalid value for max_results. It must be at most "
                    + SEARCH_EXPERIMENTS_MAX_RESULTS + ", but got " + maxResults);
        }
    }
}
