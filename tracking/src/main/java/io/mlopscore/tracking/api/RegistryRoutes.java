package io.mlopscore.tracking.api;

import io.javalin.config.RoutesConfig;

/**
 * Every model registry endpoint of MLflow 2.19 (model_registry.proto), under both of MLflow's
 * prefixes with the method MLflow declares, and the mlops-core resolve extension.
 */
public final class RegistryRoutes {
    /** {@code GET ?uri=models:/...}: what a models:/ URI points at, for the model server. */
    public static final String RESOLVE_PATH = "/api/2.0/mlops-core/models/resolve";

    private RegistryRoutes() {}

    public static void register(RoutesConfig routes, RegistryHandlers h) {
        for (String p : TrackingRoutes.PREFIXES) {
            routes.post(p + "/registered-models/create", h::createRegisteredModel);
            routes.post(p + "/registered-models/rename", h::renameRegisteredModel);
            routes.patch(p + "/registered-models/update", h::updateRegisteredModel);
            routes.delete(p + "/registered-models/delete", h::deleteRegisteredModel);
            routes.get(p + "/registered-models/get", h::getRegisteredModel);
            routes.get(p + "/registered-models/search", h::searchRegisteredModels);
            routes.post(p + "/registered-models/get-latest-versions", h::getLatestVersions);
            routes.get(p + "/registered-models/get-latest-versions", h::getLatestVersions);
            routes.post(p + "/registered-models/set-tag", h::setRegisteredModelTag);
            routes.delete(p + "/registered-models/delete-tag", h::deleteRegisteredModelTag);
            routes.post(p + "/registered-models/alias", h::setAlias);
            routes.delete(p + "/registered-models/alias", h::deleteAlias);
            routes.get(p + "/registered-models/alias", h::getModelVersionByAlias);

            routes.post(p + "/model-versions/create", h::createModelVersion);
            routes.patch(p + "/model-versions/update", h::updateModelVersion);
            routes.post(p + "/model-versions/transition-stage", h::transitionStage);
            routes.delete(p + "/model-versions/delete", h::deleteModelVersion);
            routes.get(p + "/model-versions/get", h::getModelVersion);
            routes.get(p + "/model-versions/search", h::searchModelVersions);
            routes.get(p + "/model-versions/get-download-uri", h::getDownloadUri);
            routes.post(p + "/model-versions/set-tag", h::setModelVersionTag);
            routes.delete(p + "/model-versions/delete-tag", h::deleteModelVersionTag);
        }
        routes.get(RESOLVE_PATH, h::resolve);
    }
}
