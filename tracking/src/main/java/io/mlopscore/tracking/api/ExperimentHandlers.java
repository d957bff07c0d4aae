package io.mlopscore.tracking.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.mlopscore.tracking.model.Experiment;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.store.ExperimentStore;
import io.mlopscore.tracking.store.SearchStore;
import io.mlopscore.tracking.validation.Validation;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/2.0/mlflow/experiments/*}: request checks and answers; the store does the rest. */
public final class ExperimentHandlers {
    private final ExperimentStore experiments;
    private final SearchStore search;
    private volatile ArtifactLocationCheck artifactLocations = ArtifactLocationCheck.uriRulesOnly();

    public ExperimentHandlers(ExperimentStore experiments, SearchStore search) {
        this.experiments = experiments;
        this.search = search;
    }

    /** The artifact_location rules of this server (its artifact roots are known once artifacts are wired). */
    public void checkArtifactLocationsWith(ArtifactLocationCheck check) {
        this.artifactLocations = check;
    }

    public void create(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String name = req.requiredString("name");
        Validation.experimentName(name);
        String artifactLocation = req.string("artifact_location");
        artifactLocations.check(artifactLocation);
        List<Tag> tags = experimentTags(req.objectList("tags"));
        String id = experiments.create(name, artifactLocation, tags);
        Responses.json(ctx, Responses.object().put("experiment_id", id));
    }

    public void get(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        Experiment e = experiments.get(req.requiredString("experiment_id"));
        ObjectNode body = Responses.object();
        body.set("experiment", ProtoJson.experiment(e));
        Responses.json(ctx, body);
    }

    public void getByName(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        Experiment e = experiments.getByName(req.requiredString("experiment_name"));
        ObjectNode body = Responses.object();
        body.set("experiment", ProtoJson.experiment(e));
        Responses.json(ctx, body);
    }

    public void search(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        SearchStore.Page<Experiment> page = search.searchExperiments(req.string("filter"), req.stringList("order_by"),
                req.string("view_type"), req.int64("max_results"), req.string("page_token"));
        ObjectNode body = Responses.object();
        if (!page.items().isEmpty()) {
            ArrayNode list = body.putArray("experiments");
            page.items().forEach(e -> list.add(ProtoJson.experiment(e)));
        }
        if (page.nextPageToken() != null) {
            body.put("next_page_token", page.nextPageToken());
        }
        Responses.json(ctx, body);
    }

    public void update(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String id = req.requiredString("experiment_id");
        String newName = req.requiredString("new_name");
        Validation.experimentName(newName);
        experiments.rename(id, newName);
        Responses.empty(ctx);
    }

    public void delete(Context ctx) {
        experiments.delete(ApiRequest.of(ctx).requiredString("experiment_id"));
        Responses.empty(ctx);
    }

    public void restore(Context ctx) {
        experiments.restore(ApiRequest.of(ctx).requiredString("experiment_id"));
        Responses.empty(ctx);
    }

    public void setTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String id = req.requiredString("experiment_id");
        String key = req.requiredString("key");
        Validation.tagName(key);
        String value = req.string("value");
        if (value == null) {
            value = ""; // the proto default, as MLflow reads an absent value
        }
        Validation.experimentTagValue(value);
        experiments.setTag(id, new Tag(key, value));
        Responses.empty(ctx);
    }

    public void deleteTag(Context ctx) {
        ApiRequest req = ApiRequest.of(ctx);
        String id = req.requiredString("experiment_id");
        String key = req.requiredString("key");
        experiments.deleteTag(id, key);
        Responses.empty(ctx);
    }

    private static List<Tag> experimentTags(List<ApiRequest> items) {
        List<Tag> tags = new ArrayList<>();
        for (ApiRequest t : items) {
            String key = t.requiredString("key");
            Validation.tagName(key);
            String value = t.string("value");
            Validation.experimentTagValue(value);
            tags.add(new Tag(key, value));
        }
        return tags;
    }
}
