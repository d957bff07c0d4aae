package io.mlopscore.tracking.registry;

import io.mlopscore.common.http.ApiException;

/** The registry's not-found and already-exists answers, worded as MLflow 2.19 words them. */
final class RegistryErrors {
    private RegistryErrors() {}

    static ApiException modelNotFound(String name) {
        return ApiException.notFound("Registered Model with name=" + name + " not found");
    }

    static ApiException versionNotFound(String name, Object version) {
        return ApiException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
    }

    static ApiException modelExists(String name) {
        return ApiException.alreadyExists("Registered Model (name=" + name + ") already exists. Error: a registered model with this name is already stored");
    }

    /** MLflow answers a missing alias (or a missing model) on get-by-alias with a 400, not a 404. */
    static ApiException aliasNotFound(String alias) {
        return ApiException.invalid("Registered model alias " + alias + " not found.");
    }
}
