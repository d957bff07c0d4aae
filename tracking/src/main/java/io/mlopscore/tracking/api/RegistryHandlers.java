package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.registry.ModelVersion;
import io.mlopscore.tracking.registry.RegisteredModel;
import io.mlopscore.tracking.registry.RegistryStore;
import io.mlopscore.tracking.store.SearchStore.Page;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/2.0/mlflow/registered-models/*} and {@code /model-versions/*}: each reads its
 * request as MLflow 2.19's handler does (required fields first, absent strings as the proto's
 * ""), then the store checks and does the rest.
 */
public final class RegistryHandlers {
    private final RegistryStore registry;

    public RegistryHandlers(RegistryStore registry) {
        this.registry = registry;
    }

    // ---- registered models ----

    public void createRegisteredModel(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        List<Tag> tags = tags(req);
        registeredModel(ctx, registry.createRegisteredModel(name, tags, orEmpty(req.string("description"))));
    }

    public void renameRegisteredModel(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        registeredModel(ctx, registry.renameRegisteredModel(name, req.requiredString("new_name")));
    }

    public void updateRegisteredModel(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        registeredModel(ctx, registry.updateRegisteredModel(name, orEmpty(req.string("description"))));
    }

    public void deleteRegisteredModel(Context ctx) {
        registry.deleteRegisteredModel(ApiRequest.of(ctx).requiredString("name"));
        Responses.empty(ctx);
    }

    public void getRegisteredModel(Context ctx) {
        registeredModel(ctx, registry.getRegisteredModel(ApiRequest.of(ctx).requiredString("name")));
    }

    public void searchRegisteredModels(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        Page<RegisteredModel> page = registry.searchRegisteredModels(req.string("filter"), req.int64("max_results"),
                req.stringList("order_by"), req.string("page_token"));
        ObjectNode body = Responses.object();
        if (!page.items().isEmpty()) {
            ArrayNode list = body.putArray("registered_models");
            page.items().forEach(m -> list.add(RegistryJson.registeredModel(m)));
        }
        putToken(body, page.nextPageToken());
        Responses.json(ctx, body);
    }

    public void getLatestVersions(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        Responses.json(ctx, RegistryJson.modelVersions("model_versions", registry.getLatestVersions(name, req.stringList("stages"))));
    }

    public void setRegisteredModelTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String key = req.requiredString("key");
        registry.setRegisteredModelTag(name, new Tag(key, orEmpty(req.string("value"))));
        Responses.empty(ctx);
    }

    public void deleteRegisteredModelTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        registry.deleteRegisteredModelTag(name, req.requiredString("key"));
        Responses.empty(ctx);
    }

    // ---- aliases ----

    public void setAlias(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String alias = req.requiredString("alias");
        registry.setAlias(name, alias, req.requiredString("version"));
        Responses.empty(ctx);
    }

    public void deleteAlias(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        registry.deleteAlias(name, req.requiredString("alias"));
        Responses.empty(ctx);
    }

    public void getModelVersionByAlias(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        modelVersion(ctx, registry.getModelVersionByAlias(name, req.requiredString("alias")));
    }

    // ---- model versions ----

    public void createModelVersion(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String source = req.requiredString("source");
        String runId = orEmpty(req.string("run_id"));
        List<Tag> tags = tags(req);
        String runLink = orEmpty(req.string("run_link"));
        String description = orEmpty(req.string("description"));
        modelVersion(ctx, registry.createModelVersion(name, source, runId, tags, runLink, description));
    }

    public void updateModelVersion(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String version = req.requiredString("version");
        modelVersion(ctx, registry.updateModelVersion(name, version, req.string("description")));
    }

    public void transitionStage(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String version = req.requiredString("version");
        String stage = req.requiredString("stage");
        Boolean archive = req.bool("archive_existing_versions");
        modelVersion(ctx, registry.transitionStage(name, version, stage, archive != null && archive));
    }

    public void deleteModelVersion(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        registry.deleteModelVersion(name, req.requiredString("version"));
        Responses.empty(ctx);
    }

    public void getModelVersion(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        modelVersion(ctx, registry.getModelVersion(name, req.requiredString("version")));
    }

    public void searchModelVersions(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        Page<ModelVersion> page = registry.searchModelVersions(req.string("filter"), req.int64("max_results"),
                req.stringList("order_by"), req.string("page_token"));
        ObjectNode body = RegistryJson.modelVersions("model_versions", page.items());
        putToken(body, page.nextPageToken());
        Responses.json(ctx, body);
    }

    /** MLflow's handler has no schema here: missing fields fail in the store's own checks. */
    public void getDownloadUri(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String uri = registry.downloadUri(orEmpty(req.string("name")), orEmpty(req.string("version")));
        Responses.json(ctx, Responses.object().put("artifact_uri", uri));
    }

    public void setModelVersionTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String version = req.requiredString("version");
        String key = req.requiredString("key");
        registry.setModelVersionTag(name, version, new Tag(key, orEmpty(req.string("value"))));
        Responses.empty(ctx);
    }

    public void deleteModelVersionTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        String version = req.requiredString("version");
        registry.deleteModelVersionTag(name, version, req.requiredString("key"));
        Responses.empty(ctx);
    }

    // ---- mlops-core extension ----

    /** {@code GET /api/2.0/mlops-core/models/resolve?uri=models:/...}, for the model server. */
    public void resolve(Context ctx) {
        Responses.json(ctx, RegistryJson.resolved(registry.resolve(ApiRequest.of(ctx).requiredString("uri"))));
    }

    private static List<Tag> tags(ApiRequest req) {
        List<Tag> tags = new ArrayList<>();
        for (ApiRequest t : req.objectList("tags")) {
            tags.add(new Tag(t.string("key"), orEmpty(t.string("value"))));
        }
        return tags;
    }

    private static void registeredModel(Context ctx, RegisteredModel m) {
        ObjectNode body = Responses.object();
        body.set("registered_model", RegistryJson.registeredModel(m));
        Responses.json(ctx, body);
    }

    private static void modelVersion(Context ctx, ModelVersion v) {
        ObjectNode body = Responses.object();
        body.set("model_version", RegistryJson.modelVersion(v));
        Responses.json(ctx, body);
    }

    private static void putToken(ObjectNode body, String token) {
        if (token != null) {
            body.put("next_page_token", token);
        }
    }

    /** An absent string field reads as "", the proto default MLflow's handlers pass on. */
    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
