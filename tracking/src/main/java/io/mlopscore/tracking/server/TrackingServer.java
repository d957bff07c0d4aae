package io.mlopscore.tracking.server;

import io.javalin.Javalin;
import io.mlopscore.common.http.ErrorHandling;
import io.mlopscore.common.http.JsonErrorHandler;
import io.mlopscore.common.http.RequestLimits;
import io.mlopscore.common.ops.HttpMetrics;
import io.mlopscore.common.ops.MetricsEndpoint;
import io.mlopscore.tracking.api.ArtifactHandlers;
import io.mlopscore.tracking.api.ArtifactRoutes;
import io.mlopscore.tracking.api.ExperimentHandlers;
import io.mlopscore.tracking.api.MetricHandlers;
import io.mlopscore.tracking.api.RegistryHandlers;
import io.mlopscore.tracking.api.RegistryRoutes;
import io.mlopscore.tracking.api.RunHandlers;
import io.mlopscore.tracking.api.TrackingRoutes;
import io.mlopscore.tracking.registry.RegistryStore;
import io.mlopscore.tracking.store.BackendUri;
import io.mlopscore.tracking.store.Database;
import io.mlopscore.tracking.store.DatasetStore;
import io.mlopscore.tracking.store.ExperimentStore;
import io.mlopscore.tracking.store.MetricStore;
import io.mlopscore.tracking.store.RunStore;
import io.mlopscore.tracking.store.Schema;
import io.mlopscore.tracking.store.SearchStore;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking server: MLflow's tracking and model-registry REST API over a SQL store, the
 * artifact proxy, and health, version and metrics. Everything is built here, in plain sight.
 *
 * <pre>{@code
 * try (TrackingServer server = TrackingServer.start(TrackingConfig.defaults().withPort(0))) {
 *     String url = server.url(); // http://127.0.0.1:54321
 * }
 * }</pre>
 */
public final class TrackingServer implements AutoCloseable {
    /** The MLflow release whose REST API and schema this server speaks. */
    public static final String MLFLOW_VERSION = "2.19.0";
    private static final Logger log = LoggerFactory.getLogger(TrackingServer.class);

    private final Database db;
    private final Javalin app;
    private final TrackingConfig config;
    private final ArtifactHandlers artifacts;

    private TrackingServer(Database db, Javalin app, TrackingConfig config, ArtifactHandlers artifacts) {
        this.db = db;
        this.app = app;
        this.config = config;
        this.artifacts = artifacts;
    }

    public static TrackingServer start(TrackingConfig config) {
        BackendUri backend = BackendUri.parse(config.backendStoreUri());
        checkPortIsFree(config);
        Database db = Database.open(backend);
        ArtifactHandlers artifactHandlers = null;
        try {
            String artifactRoot = config.effectiveDefaultArtifactRoot();
            Schema.ensure(db, artifactRoot);
            db.useWriteAheadLog();
            ExperimentStore experiments = new ExperimentStore(db, artifactRoot);
            MetricStore metrics = new MetricStore(db);
            RunStore runs = new RunStore(db, experiments, metrics, new DatasetStore());
            SearchStore search = new SearchStore(db, experiments, runs);

            PrometheusRegistry metricsRegistry = new PrometheusRegistry();
            JvmMetrics.builder().register(metricsRegistry);
            PoolMetrics.register(metricsRegistry, db.pool());
            HttpMetrics httpMetrics = new HttpMetrics(metricsRegistry, "mlflow_tracking");
            MetricsEndpoint metricsEndpoint = new MetricsEndpoint(metricsRegistry);

            RegistryStore registryStore = new RegistryStore(db, runs);
            RegistryHandlers registryHandlers = new RegistryHandlers(registryStore);
            artifactHandlers = ArtifactHandlers.create(config, runs);
            artifactHandlers.resolveModelVersionsWith(registryStore::downloadUri);

            ArtifactHandlers artifactsForRoutes = artifactHandlers;
            ExperimentHandlers experimentHandlers = new ExperimentHandlers(experiments, search);
            RunHandlers runHandlers = new RunHandlers(runs, search);
            MetricHandlers metricHandlers = new MetricHandlers(metrics, runs);

            Javalin app = Javalin.create(c -> {
                c.startup.showJavalinBanner = false;
                c.jetty.host = config.host();
                c.jetty.port = config.port();
                c.http.maxRequestSize = config.maxRequestBytes();
                c.http.prefer405over404 = true;
                c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                c.requestLogger.http((ctx, ms) -> {
                    httpMetrics.record(ctx, ms);
                    if (log.isDebugEnabled()) {
                        // The path only: query strings and bodies may carry values users consider secret.
                        log.debug("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), String.format("%.2f", ms));
                    }
                });
                ErrorHandling.install(c.routes);
                // Artifact uploads stream through their handler, which applies its own cap.
                RequestLimits limits = new RequestLimits(config.maxRequestBytes(), TrackingServer::isStreamedUpload);
                c.routes.before(limits::check);
                c.routes.before(TrackingServer::refuseHeadOnApi);
                c.routes.get("/health", ctx -> ctx.contentType("text/plain").result("OK"));
                c.routes.head("/health", ctx -> ctx.contentType("text/plain").result("OK"));
                c.routes.get("/version", ctx -> ctx.contentType("text/plain").result(MLFLOW_VERSION));
                c.routes.get("/metrics", metricsEndpoint::handle);
                TrackingRoutes.register(c.routes, experimentHandlers, runHandlers, metricHandlers);
                RegistryRoutes.register(c.routes, registryHandlers);
                ArtifactRoutes.register(c, artifactsForRoutes, experimentHandlers);
            });
            app.start();
            TrackingServer server = new TrackingServer(db, app, config, artifactHandlers);
            log.info("mlops-core tracking server listening on {} (backend store {}, default artifact root {})", server.url(), backend, artifactRoot);
            return server;
        } catch (RuntimeException e) {
            if (artifactHandlers != null) {
                artifactHandlers.close();
            }
            db.close();
            throw e;
        }
    }

    /** Fails before the store is opened (and a SQLite file created) if the port is taken. */
    private static void checkPortIsFree(TrackingConfig config) {
        if (config.port() == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(config.host(), config.port()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Port " + config.port() + " on " + config.host() + " cannot be bound: " + e.getMessage(),
                    new java.net.BindException(e.getMessage()));
        }
    }

    /** Javalin answers HEAD on a GET route with an empty 200 without running it: untrue for the API. */
    private static void refuseHeadOnApi(io.javalin.http.Context ctx) {
        if (ctx.method() == io.javalin.http.HandlerType.HEAD && !ctx.path().equals("/health")) {
            throw new io.mlopscore.common.http.ApiException(io.mlopscore.common.http.ErrorCode.BAD_REQUEST, 405,
                    "Method HEAD is not allowed on " + ctx.path() + "; use GET.");
        }
    }

    private static boolean isStreamedUpload(String path) {
        return path.contains("/mlflow-artifacts/") || path.endsWith("/upload-artifact");
    }

    public int port() {
        return app.port();
    }

    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    public Database database() {
        return db;
    }

    @Override
    public void close() {
        app.stop();
        artifacts.close();
        db.close();
    }
}
