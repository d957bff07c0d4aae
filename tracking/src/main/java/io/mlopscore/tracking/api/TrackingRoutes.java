package io.mlopscore.tracking.api;

import io.javalin.config.RoutesConfig;

/**
 * Every tracking REST endpoint, in one table. Each is served under both of MLflow's prefixes:
 * {@code /api/2.0/mlflow} (clients) and {@code /ajax-api/2.0/mlflow} (the web UI).
 */
public final class TrackingRoutes {
    public static final String[] PREFIXES = {"/api/2.0/mlflow", "/ajax-api/2.0/mlflow"};

    private TrackingRoutes() {}

    public static void register(RoutesConfig routes, ExperimentHandlers experiments, RunHandlers runs, MetricHandlers metrics) {
        for (String p : PREFIXES) {
            routes.post(p + "/experiments/create", experiments::create);
            routes.get(p + "/experiments/get", experiments::get);
            routes.get(p + "/experiments/get-by-name", experiments::getByName);
            routes.post(p + "/experiments/search", experiments::search);
            routes.get(p + "/experiments/search", experiments::search);
            routes.post(p + "/experiments/update", experiments::update);
            routes.post(p + "/experiments/delete", experiments::delete);
            routes.post(p + "/experiments/restore", experiments::restore);
            routes.post(p + "/experiments/set-experiment-tag", experiments::setTag);
            routes.post(p + "/experiments/delete-experiment-tag", experiments::deleteTag);

            routes.post(p + "/runs/create", runs::create);
            routes.get(p + "/runs/get", runs::get);
            routes.post(p + "/runs/update", runs::update);
            routes.post(p + "/runs/delete", runs::delete);
            routes.post(p + "/runs/restore", runs::restore);
            routes.post(p + "/runs/search", runs::search);
            routes.post(p + "/runs/log-metric", runs::logMetric);
            routes.post(p + "/runs/log-parameter", runs::logParam);
            routes.post(p + "/runs/set-tag", runs::setTag);
            routes.post(p + "/runs/delete-tag", runs::deleteTag);
            routes.post(p + "/runs/log-batch", runs::logBatch);
            routes.post(p + "/runs/log-inputs", runs::logInputs);

            routes.get(p + "/metrics/get-history", metrics::getHistory);
            routes.get(p + "/metrics/get-history-bulk-interval", metrics::getHistoryBulkInterval);
        }
    }
}
