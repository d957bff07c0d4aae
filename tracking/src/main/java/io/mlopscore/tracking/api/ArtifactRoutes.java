package io.mlopscore.tracking.api;

import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.mlopscore.artifacts.ArtifactException;
import io.mlopscore.artifacts.InvalidArtifactPathException;
import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import io.mlopscore.common.http.ErrorHandling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every artifact endpoint, in one table, and the two gates MLflow's server applies:
 * {@code --no-serve-artifacts} turns the proxy endpoints into 503s, {@code --artifacts-only} turns
 * every tracking and registry endpoint into a 503 (one before-handler on their prefixes, so an
 * endpoint added later is covered too). Both answers are JSON errors, where MLflow answers plain text.
 *
 * <pre>{@code
 * Javalin.create(c -> ArtifactRoutes.register(c, artifactHandlers, experimentHandlers));
 * }</pre>
 */
public final class ArtifactRoutes {
    /** The proxy is served under both of MLflow's API prefixes, like every other endpoint. */
    public static final String[] PREFIXES = {"/api/2.0", "/ajax-api/2.0"};
    private static final Logger log = LoggerFactory.getLogger(ArtifactRoutes.class);

    private ArtifactRoutes() {}

    public static void register(JavalinConfig config, ArtifactHandlers artifacts, ExperimentHandlers experiments) {
        RoutesConfig routes = config.routes;
        routes.exception(InvalidArtifactPathException.class, (e, ctx) -> {
            log.debug("Refused artifact path on {} {}: {}", ctx.method(), ctx.path(), e.reason());
            ErrorHandling.write(ctx, 400, ErrorCode.INVALID_PARAMETER_VALUE, InvalidArtifactPathException.MESSAGE);
        });
        routes.exception(ArtifactException.class, (e, ctx) -> {
            ApiException answer = ArtifactHandlers.toApi(e);
            ErrorHandling.write(ctx, answer.httpStatus(), answer.code(), answer.getMessage());
        });
        if (artifacts.artifactsOnly()) {
            Handler trackingDisabled = ctx -> {
                throw new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Endpoint: " + ctx.path()
                        + " disabled due to the mlflow server running in `--artifacts-only` mode. To enable tracking server functionality, "
                        + "run the server without `--artifacts-only`");
            };
            for (String p : TrackingRoutes.PREFIXES) {
                routes.before(p + "/*", trackingDisabled);
            }
            routes.before("/get-artifact", trackingDisabled);
            routes.before("/model-versions/get-artifact", trackingDisabled);
            routes.before(RegistryRoutes.RESOLVE_PATH, trackingDisabled); // the registry's own extension endpoint
        }

        for (String p : PREFIXES) {
            String files = p + "/mlflow-artifacts/artifacts";
            String mpu = p + "/mlflow-artifacts/mpu";
            proxy(routes, artifacts, "GET", files, "", ctx -> artifacts.listProxied(ctx));
            proxy(routes, artifacts, "GET", files + "/<path>", "/<path:artifact_path>", ctx -> artifacts.download(ctx, files + "/"));
            proxy(routes, artifacts, "PUT", files + "/<path>", "/<path:artifact_path>", ctx -> artifacts.upload(ctx, files + "/"));
            proxy(routes, artifacts, "DELETE", files + "/<path>", "/<path:artifact_path>", ctx -> artifacts.delete(ctx, files + "/"));
            proxy(routes, artifacts, "POST", mpu + "/create/<path>", "/<path:artifact_path>", ctx -> artifacts.createMultipart(ctx, mpu + "/create/"));
            proxy(routes, artifacts, "POST", mpu + "/complete/<path>", "/<path:artifact_path>", ctx -> artifacts.completeMultipart(ctx, mpu + "/complete/"));
            proxy(routes, artifacts, "POST", mpu + "/abort/<path>", "/<path:artifact_path>", ctx -> artifacts.abortMultipart(ctx, mpu + "/abort/"));
        }
        for (String p : TrackingRoutes.PREFIXES) {
            routes.get(p + "/artifacts/list", artifacts::listRunArtifacts);
        }
        // Plain routes, as in MLflow (no /api or /ajax-api form): the web UI fetches these relative to its page.
        routes.get("/get-artifact", artifacts::getRunArtifact);
        routes.get("/model-versions/get-artifact", artifacts::getModelVersionArtifact);

        experiments.checkArtifactLocationsWith(artifacts.locationCheck());
        config.events.serverStopped(artifacts::close);
    }

    /** A proxy route, or, with --no-serve-artifacts, a 503 in its place. */
    private static void proxy(RoutesConfig routes, ArtifactHandlers artifacts, String method, String pattern, String ruleSuffix, Handler handler) {
        Handler h = artifacts.serveArtifacts() ? handler : notServing(pattern.replace("/<path>", "") + ruleSuffix);
        switch (method) {
            case "GET" -> routes.get(pattern, h);
            case "PUT" -> routes.put(pattern, h);
            case "DELETE" -> routes.delete(pattern, h);
            case "POST" -> routes.post(pattern, h);
            default -> throw new IllegalArgumentException(method);
        }
    }

    private static Handler notServing(String rule) {
        return ctx -> {
            throw new ApiException(ErrorCode.TEMPORARILY_UNAVAILABLE, "Endpoint: " + rule
                    + " disabled due to the mlflow server running with `--no-serve-artifacts`. To enable artifacts server functionality, "
                    + "run the server with `--serve-artifacts`");
        };
    }
}
