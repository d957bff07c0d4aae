package io.mlopscore.tracking.registry;

import static io.mlopscore.tracking.registry.RegistryHttp.API;
import static io.mlopscore.tracking.registry.RegistryHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.tracking.testing.Http.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code models:/} URIs resolved by the mlops-core endpoint {@code GET /api/2.0/mlops-core/models/resolve}
 * in all four forms, with MLflow's errors. Subclasses pick the backend store.
 */
abstract class ModelUriResolutionContract extends RegistryTestBase {
    private static final String RESOLVE = "/api/2.0/mlops-core/models/resolve?uri=";

    private Response resolve(String uri) {
        return http.get(RESOLVE + q(uri));
    }

    /** A model with versions 1..4: 1 None, 2 Production, 3 Staging, 4 Archived, alias champion → 2. */
    private String seed() {
        String name = unique("uri");
        createModel(name);
        String runId = proxiedRun();
        for (int i = 1; i <= 4; i++) {
            ok(http.post(API + "model-versions/create", obj().put("name", name).put("source", "s3://bucket/" + name + "/" + i).put("run_id", runId)));
        }
        transition(name, "2", "Production", false);
        transition(name, "3", "Staging", false);
        transition(name, "4", "Archived", false);
        setAlias(name, "champion", "2");
        return name;
    }

    @Test
    void aVersionUriResolvesToThatVersionWithEverythingTheModelServerNeeds() {
        String name = seed();
        JsonNode r = ok(resolve("models:/" + name + "/2"));
        assertThat(r.get("name").asText()).isEqualTo(name);
        assertThat(r.get("version").asText()).isEqualTo("2");
        assertThat(r.get("source").asText()).isEqualTo("s3://bucket/" + name + "/2");
        assertThat(r.get("download_uri").asText()).isEqualTo("s3://bucket/" + name + "/2");
        assertThat(r.get("artifact_uri").asText()).isEqualTo(r.get("download_uri").asText());
        assertThat(r.get("run_id").asText()).hasSize(32);
        assertThat(r.get("current_stage").asText()).isEqualTo("Production");
        assertThat(r.get("aliases")).extracting(JsonNode::asText).containsExactly("champion");
        assertThat(ok(resolve("models:/" + name + "/1")).get("aliases")).isEmpty();
    }

    @Test
    void stageLatestAndAliasFormsResolveAsMlflowsClientDoes() {
        String name = seed();
        assertThat(ok(resolve("models:/" + name + "/Production")).get("version").asText()).isEqualTo("2");
        assertThat(ok(resolve("models:/" + name + "/staging")).get("version").asText()).isEqualTo("3");
        assertThat(ok(resolve("models:/" + name + "/ARCHIVED")).get("version").asText()).isEqualTo("4");
        assertThat(ok(resolve("models:/" + name + "/None")).get("version").asText()).isEqualTo("1");
        assertThat(ok(resolve("models:/" + name + "/latest")).get("version").asText()).isEqualTo("4");
        assertThat(ok(resolve("models:/" + name + "/LATEST")).get("version").asText()).isEqualTo("4");
        assertThat(ok(resolve("models:/" + name + "@champion")).get("version").asText()).isEqualTo("2");

        transition(name, "1", "Production", false);
        assertThat(ok(resolve("models:/" + name + "/Production")).get("version").asText()).isEqualTo("2");
        ok(http.delete(API + "model-versions/delete", obj().put("name", name).put("version", "4")));
        assertThat(ok(resolve("models:/" + name + "/latest")).get("version").asText()).isEqualTo("3");
        ok(http.delete(API + "model-versions/delete", obj().put("name", name).put("version", "2")));
        assertThat(ok(resolve("models:/" + name + "/Production")).get("version").asText()).isEqualTo("1");
        error(resolve("models:/" + name + "@champion"), 400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void aModelNameWithAnAtSignSplitsAtTheLastOne() {
        String name = unique("team@uri");
        createModel(name);
        createVersion(name, "s3://b/x");
        setAlias(name, "prod", "1");
        assertThat(ok(resolve("models:/" + name + "@prod")).get("name").asText()).isEqualTo(name);
    }

    @Test
    void malformedUrisAreRefusedWithMlflowsMessage() {
        for (String bad : List.of("models:/", "models:", "models:/name", "models:/a/b/c", "models:/ /1", "models:/m/ ", "models:/m/",
                "models:/@alias", "models:/m@", "runs:/abc/model", "s3://b/m", "models", "models:name/1", "models://host/1")) {
            String message = error(resolve(bad), 400, "INVALID_PARAMETER_VALUE");
            assertThat(message).as(bad).isEqualTo("Not a proper models:/ URI: " + bad + ". Models URIs must be of the form "
                    + "'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string "
                    + "'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.");
        }
        error(http.get("/api/2.0/mlops-core/models/resolve"), 400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void missingModelsVersionsStagesAndAliasesGetMlflowsErrors() {
        String name = seed();
        String empty = unique("uri-empty");
        createModel(empty);
        assertThat(error(resolve("models:/" + name + "/9"), 404, "RESOURCE_DOES_NOT_EXIST"))
                .isEqualTo("Model Version (name=" + name + ", version=9) not found");
        assertThat(error(resolve("models:/nope-" + System.nanoTime() + "/1"), 404, "RESOURCE_DOES_NOT_EXIST")).contains("not found");
        assertThat(error(resolve("models:/nope-x/latest"), 404, "RESOURCE_DOES_NOT_EXIST")).isEqualTo("Registered Model with name=nope-x not found");
        assertThat(error(resolve("models:/" + empty + "/latest"), 404, "RESOURCE_DOES_NOT_EXIST"))
                .isEqualTo("No versions of model with name '" + empty + "' found");
        assertThat(error(resolve("models:/" + empty + "/staging"), 404, "RESOURCE_DOES_NOT_EXIST"))
                .isEqualTo("No versions of model with name '" + empty + "' and stage 'Staging' found");
        assertThat(error(resolve("models:/" + name + "/Gold"), 400, "INVALID_PARAMETER_VALUE")).startsWith("Invalid Model Version stage: Gold.");
        assertThat(error(resolve("models:/" + name + "@nobody"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Registered model alias nobody not found.");
    }

    @Test
    void aModelsSourceRecordsWhereTheNamedVersionIsStored() {
        String name = seed();
        String mirror = unique("mirror");
        createModel(mirror);
        for (String uri : List.of("models:/" + name + "/3", "models:/" + name + "/Production", "models:/" + name + "/latest",
                "models:/" + name + "@champion")) {
            JsonNode v = createVersion(mirror, uri);
            assertThat(v.get("source").asText()).isEqualTo(uri);
            String expected = ok(resolve(uri)).get("download_uri").asText();
            assertThat(ok(http.get(API + "model-versions/get-download-uri?name=" + q(mirror) + "&version=" + v.get("version").asText()))
                    .get("artifact_uri").asText()).isEqualTo(expected);
            JsonNode resolved = ok(resolve("models:/" + mirror + "/" + v.get("version").asText()));
            assertThat(resolved.get("source").asText()).isEqualTo(uri);
            assertThat(resolved.get("download_uri").asText()).isEqualTo(expected);
        }
        for (String bad : List.of("models:/" + name + "/99", "models:/" + name + "@nobody", "models:/a/b/c")) {
            assertThat(error(http.post(API + "model-versions/create", obj().put("name", mirror).put("source", bad)), 400, "INVALID_PARAMETER_VALUE"))
                    .startsWith("Unable to fetch model from model URI source artifact location '" + bad + "'.Error: ");
        }
        assertThat(getModel(mirror).at("/latest_versions/0/version").asText()).isEqualTo("4");
    }
}
