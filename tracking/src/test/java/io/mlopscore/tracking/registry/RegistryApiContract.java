package io.mlopscore.tracking.registry;

import static io.mlopscore.tracking.registry.RegistryHttp.AJAX;
import static io.mlopscore.tracking.registry.RegistryHttp.API;
import static io.mlopscore.tracking.registry.RegistryHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.tracking.testing.Http.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every registry endpoint over raw HTTP, on both prefixes: MLflow 2.19's JSON, statuses, error
 * shapes and messages, and that a refused request leaves nothing behind. Subclasses pick the
 * backend store.
 */
abstract class RegistryApiContract extends RegistryTestBase {

    @Test
    void aRegisteredModelIsCreatedAndReadBackInMlflowsShape() {
        String name = unique("shape");
        ObjectNode body = obj().put("name", name).put("description", "churn model");
        body.putArray("tags").addObject().put("key", "team").put("value", "risk");
        JsonNode created = ok(http.post(API + "registered-models/create", body)).get("registered_model");
        assertThat(created.get("name").asText()).isEqualTo(name);
        assertThat(created.get("creation_timestamp").isIntegralNumber()).isTrue();
        assertThat(created.get("last_updated_timestamp").asLong()).isEqualTo(created.get("creation_timestamp").asLong());
        assertThat(created.get("description").asText()).isEqualTo("churn model");
        assertThat(created.at("/tags/0/key").asText()).isEqualTo("team");
        assertThat(created.at("/tags/0/value").asText()).isEqualTo("risk");
        assertThat(created.has("latest_versions")).isFalse();
        assertThat(created.has("aliases")).isFalse();
        assertThat(created.has("user_id")).isFalse();
        assertThat(getModel(name)).isEqualTo(created);
        JsonNode viaAjax = ok(http.get(AJAX + "registered-models/get?name=" + q(name))).get("registered_model");
        assertThat(viaAjax).isEqualTo(created);
    }

    @Test
    void anEmptyDescriptionIsLeftOutAndDuplicatesAreRefused() {
        String name = unique("dup");
        JsonNode created = createModel(name);
        assertThat(created.has("description")).isFalse();
        assertThat(created.has("tags")).isFalse();
        String message = error(http.post(API + "registered-models/create", obj().put("name", name)), 400, "RESOURCE_ALREADY_EXISTS");
        assertThat(message).startsWith("Registered Model (name=" + name + ") already exists.");
    }

    @Test
    void requiredFieldsUnknownModelsAndBadRequestsGetMlflowErrors() {
        assertThat(error(http.post(API + "registered-models/create", obj()), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Missing value for required parameter 'name'. See the API docs for more information about request parameters.");
        assertThat(error(http.post(API + "registered-models/create", obj().put("name", "")), 400, "INVALID_PARAMETER_VALUE"))
                .startsWith("Missing value for required parameter 'name'.");
        assertThat(error(http.get(API + "registered-models/get?name=nope-" + System.nanoTime()), 404, "RESOURCE_DOES_NOT_EXIST"))
                .startsWith("Registered Model with name=nope-").endsWith(" not found");
        assertThat(error(http.get(API + "registered-models/get"), 400, "INVALID_PARAMETER_VALUE")).contains("'name'");
        error(http.send("POST", API + "registered-models/create", "{\"name\": \"x\"}", "text/plain"), 400, "INVALID_PARAMETER_VALUE");
        error(http.send("POST", API + "registered-models/create", "{\"name\": ", "application/json"), 400, "INVALID_PARAMETER_VALUE");
        error(http.send("POST", API + "registered-models/create", "[1]", "application/json"), 400, "INVALID_PARAMETER_VALUE");
        error(http.post(API + "registered-models/create", obj().put("name", "x".repeat(257))), 400, "INVALID_PARAMETER_VALUE");
        ObjectNode badTags = obj().put("name", unique("badtags"));
        badTags.put("tags", "not-a-list");
        error(http.post(API + "registered-models/create", badTags), 400, "INVALID_PARAMETER_VALUE");
        Response wrongMethod = http.get(API + "registered-models/create");
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.json().has("error_code")).isTrue();
    }

    @Test
    void aRefusedCreateWritesNothing() {
        String name = unique("refused");
        ObjectNode body = obj().put("name", name);
        body.putArray("tags").addObject().put("key", "ok").put("value", "v");
        body.withArray("tags").addObject().put("key", "bad/../key").put("value", "v");
        error(http.post(API + "registered-models/create", body), 400, "INVALID_PARAMETER_VALUE");
        error(http.get(API + "registered-models/get?name=" + q(name)), 404, "RESOURCE_DOES_NOT_EXIST");

        createModel(name);
        ObjectNode version = obj().put("name", name).put("source", "s3://bucket/model");
        version.putArray("tags").addObject().put("key", "k").put("value", "v".repeat(5001));
        error(http.post(API + "model-versions/create", version), 400, "INVALID_PARAMETER_VALUE");
        assertThat(createVersion(name, "s3://bucket/model").get("version").asText()).isEqualTo("1");
    }

    @Test
    void updateSetsTheDescriptionThroughPatch() throws InterruptedException {
        String name = unique("update");
        long created = createModel(name).get("last_updated_timestamp").asLong();
        Thread.sleep(5);
        JsonNode updated = ok(http.patch(API + "registered-models/update", obj().put("name", name).put("description", "v2")))
                .get("registered_model");
        assertThat(updated.get("description").asText()).isEqualTo("v2");
        assertThat(updated.get("last_updated_timestamp").asLong()).isGreaterThan(created);
        JsonNode cleared = ok(http.patch(AJAX + "registered-models/update", obj().put("name", name))).get("registered_model");
        assertThat(cleared.has("description")).isFalse();
        error(http.patch(API + "registered-models/update", obj().put("name", unique("missing"))), 404, "RESOURCE_DOES_NOT_EXIST");
        Response wrongMethod = http.post(API + "registered-models/update", obj().put("name", name).put("description", "no"));
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.json().has("error_code")).isTrue();
        assertThat(getModel(name).has("description")).isFalse();
    }

    @Test
    void deleteTakesItsFieldsFromTheBodyOrTheQueryString() {
        String a = unique("del-body");
        createModel(a);
        assertThat(ok(http.delete(API + "registered-models/delete", obj().put("name", a))).isEmpty()).isTrue();
        error(http.get(API + "registered-models/get?name=" + q(a)), 404, "RESOURCE_DOES_NOT_EXIST");
        error(http.delete(API + "registered-models/delete", obj().put("name", a)), 404, "RESOURCE_DOES_NOT_EXIST");

        String b = unique("del-query");
        createModel(b);
        assertThat(ok(http.deleteWithQuery(AJAX + "registered-models/delete?name=" + q(b))).isEmpty()).isTrue();
        error(http.get(API + "registered-models/get?name=" + q(b)), 404, "RESOURCE_DOES_NOT_EXIST");
        error(http.deleteWithQuery(API + "registered-models/delete"), 400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void registeredModelTagsAreUpsertedAndDeleted() {
        String name = unique("rmtags");
        createModel(name);
        ok(http.post(API + "registered-models/set-tag", obj().put("name", name).put("key", "k").put("value", "1")));
        ok(http.post(API + "registered-models/set-tag", obj().put("name", name).put("key", "k").put("value", "2")));
        ok(http.post(AJAX + "registered-models/set-tag", obj().put("name", name).put("key", "empty")));
        JsonNode tags = getModel(name).get("tags");
        assertThat(tags).hasSize(2);
        assertThat(tags.at("/0/key").asText()).isEqualTo("empty");
        assertThat(tags.at("/0/value").asText()).isEmpty();
        assertThat(tags.at("/1/value").asText()).isEqualTo("2");
        ok(http.delete(API + "registered-models/delete-tag", obj().put("name", name).put("key", "k")));
        ok(http.delete(API + "registered-models/delete-tag", obj().put("name", name).put("key", "never-set")));
        assertThat(getModel(name).get("tags")).hasSize(1);

        error(http.post(API + "registered-models/set-tag", obj().put("name", unique("none")).put("key", "k").put("value", "v")),
                404, "RESOURCE_DOES_NOT_EXIST");
        error(http.delete(API + "registered-models/delete-tag", obj().put("name", unique("none")).put("key", "k")),
                404, "RESOURCE_DOES_NOT_EXIST");
        error(http.post(API + "registered-models/set-tag", obj().put("name", name).put("key", "../x").put("value", "v")),
                400, "INVALID_PARAMETER_VALUE");
        assertThat(error(http.post(API + "registered-models/set-tag", obj().put("name", name).put("key", "long").put("value", "x".repeat(5001))),
                400, "INVALID_PARAMETER_VALUE")).contains("5000");
        error(http.post(API + "registered-models/set-tag", obj().put("name", name).put("value", "v")), 400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void aModelVersionIsCreatedInMlflowsShape() {
        String name = unique("mv-shape");
        long before = createModel(name).get("last_updated_timestamp").asLong();
        JsonNode v = createVersion(name, "s3://bucket/path/model");
        assertThat(v.get("name").asText()).isEqualTo(name);
        assertThat(v.get("version").isTextual()).isTrue();
        assertThat(v.get("version").asText()).isEqualTo("1");
        assertThat(v.get("creation_timestamp").isIntegralNumber()).isTrue();
        assertThat(v.get("last_updated_timestamp").isIntegralNumber()).isTrue();
        assertThat(v.get("current_stage").asText()).isEqualTo("None");
        assertThat(v.get("description").asText()).isEmpty();
        assertThat(v.get("source").asText()).isEqualTo("s3://bucket/path/model");
        assertThat(v.get("run_id").asText()).isEmpty();
        assertThat(v.get("run_link").asText()).isEmpty();
        assertThat(v.get("status").asText()).isEqualTo("READY");
        assertThat(v.has("status_message")).isFalse();
        assertThat(v.has("user_id")).isFalse();
        assertThat(v.has("tags")).isFalse();
        assertThat(v.has("aliases")).isFalse();
        List<String> order = new ArrayList<>();
        v.fieldNames().forEachRemaining(order::add);
        assertThat(order).containsExactly("name", "version", "creation_timestamp", "last_updated_timestamp", "current_stage",
                "description", "source", "run_id", "status", "run_link");
        assertThat(getVersion(name, "1")).isEqualTo(v);
        assertThat(getModel(name).get("last_updated_timestamp").asLong()).isGreaterThanOrEqualTo(before);

        ObjectNode body = obj().put("name", name).put("source", "s3://bucket/v2").put("run_id", proxiedRun())
                .put("run_link", "http://ci/1").put("description", "second");
        body.putArray("tags").addObject().put("key", "stage").put("value", "canary");
        JsonNode v2 = ok(http.post(AJAX + "model-versions/create", body)).get("model_version");
        assertThat(v2.get("version").asText()).isEqualTo("2");
        assertThat(v2.get("description").asText()).isEqualTo("second");
        assertThat(v2.get("run_link").asText()).isEqualTo("http://ci/1");
        assertThat(v2.at("/tags/0/key").asText()).isEqualTo("stage");
        assertThat(v2.get("run_id").asText()).isEqualTo(body.get("run_id").asText());

        JsonNode model = getModel(name);
        assertThat(model.get("latest_versions")).hasSize(1);
        assertThat(model.at("/latest_versions/0/version").asText()).isEqualTo("2");
        assertThat(model.at("/latest_versions/0/tags/0/value").asText()).isEqualTo("canary");
    }

    @Test
    void versionLookupsFailAsMlflowsDo() {
        String name = unique("mv-errors");
        createModel(name);
        createVersion(name, "s3://b/m");
        assertThat(error(http.get(API + "model-versions/get?name=" + q(name) + "&version=7"), 404, "RESOURCE_DOES_NOT_EXIST"))
                .isEqualTo("Model Version (name=" + name + ", version=7) not found");
        assertThat(error(http.get(API + "model-versions/get?name=" + q(name) + "&version=abc"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Model version must be an integer, got 'abc'");
        error(http.get(API + "model-versions/get?name=" + q(name) + "&version=99999999999999999999"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertThat(getVersion(name, "01").get("version").asText()).isEqualTo("1");
        error(http.get(API + "model-versions/get?name=" + q(name)), 400, "INVALID_PARAMETER_VALUE");
        assertThat(error(http.post(API + "model-versions/create", obj().put("name", unique("absent")).put("source", "s3://b/m")),
                404, "RESOURCE_DOES_NOT_EXIST")).startsWith("Registered Model with name=");
        error(http.post(API + "model-versions/create", obj().put("name", name)), 400, "INVALID_PARAMETER_VALUE");
        error(http.post(API + "model-versions/create", obj().put("name", name).put("source", "s3://b/" + "x".repeat(600))),
                400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void updateModelVersionChangesTheDescriptionOnlyWhenGiven() {
        String name = unique("mv-update");
        createModel(name);
        createVersion(name, "s3://b/m");
        JsonNode updated = ok(http.patch(API + "model-versions/update", obj().put("name", name).put("version", "1")
                .put("description", "better"))).get("model_version");
        assertThat(updated.get("description").asText()).isEqualTo("better");
        JsonNode untouched = ok(http.patch(AJAX + "model-versions/update", obj().put("name", name).put("version", "1"))).get("model_version");
        assertThat(untouched.get("description").asText()).isEqualTo("better");
        error(http.patch(API + "model-versions/update", obj().put("name", name).put("version", "2")), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void modelVersionTagsAreUpsertedAndDeleted() {
        String name = unique("mv-tags");
        createModel(name);
        createVersion(name, "s3://b/m");
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "1").put("key", "k").put("value", "a")));
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "1").put("key", "k").put("value", "b")));
        assertThat(getVersion(name, "1").at("/tags/0/value").asText()).isEqualTo("b");
        ok(http.delete(API + "model-versions/delete-tag", obj().put("name", name).put("version", "1").put("key", "k")));
        ok(http.delete(API + "model-versions/delete-tag", obj().put("name", name).put("version", "1").put("key", "k")));
        assertThat(getVersion(name, "1").has("tags")).isFalse();
        error(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "9").put("key", "k").put("value", "v")),
                404, "RESOURCE_DOES_NOT_EXIST");
        error(http.delete(API + "model-versions/delete-tag", obj().put("name", name).put("version", "9").put("key", "k")),
                404, "RESOURCE_DOES_NOT_EXIST");
        error(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "1").put("key", "/abs").put("value", "v")),
                400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void theDownloadUriIsTheSourceOrWhereAModelsUriPointed() {
        String name = unique("download");
        createModel(name);
        createVersion(name, "s3://bucket/first");
        assertThat(ok(http.get(API + "model-versions/get-download-uri?name=" + q(name) + "&version=1")).get("artifact_uri").asText())
                .isEqualTo("s3://bucket/first");
        String copy = unique("copy");
        createModel(copy);
        JsonNode v = createVersion(copy, "models:/" + name + "/1");
        assertThat(v.get("source").asText()).isEqualTo("models:/" + name + "/1");
        assertThat(ok(http.get(AJAX + "model-versions/get-download-uri?name=" + q(copy) + "&version=1")).get("artifact_uri").asText())
                .isEqualTo("s3://bucket/first");
        assertThat(error(http.post(API + "model-versions/create", obj().put("name", copy).put("source", "models:/" + name + "/5")),
                400, "INVALID_PARAMETER_VALUE")).startsWith("Unable to fetch model from model URI source artifact location 'models:/" + name + "/5'.Error: ");
        error(http.get(API + "model-versions/get-download-uri?name=" + q(name) + "&version=3"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertThat(error(http.get(API + "model-versions/get-download-uri?version=1"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Registered model name cannot be empty.");
        assertThat(error(http.get(API + "model-versions/get-download-uri?name=" + q(name)), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Model version must be an integer, got ''");
    }

    @Test
    void aliasesPointAtOneVersionAndMoveWhenReassigned() {
        String name = unique("alias");
        createModel(name);
        createVersion(name, "s3://b/1");
        createVersion(name, "s3://b/2");
        setAlias(name, "champion", "1");
        setAlias(name, "challenger", "1");
        JsonNode byAlias = ok(http.get(API + "registered-models/alias?name=" + q(name) + "&alias=champion")).get("model_version");
        assertThat(byAlias.get("version").asText()).isEqualTo("1");
        assertThat(byAlias.get("aliases")).extracting(JsonNode::asText).containsExactly("challenger", "champion");
        assertThat(getVersion(name, "1").get("aliases")).hasSize(2);
        JsonNode aliases = getModel(name).get("aliases");
        assertThat(aliases).hasSize(2);
        assertThat(aliases.at("/0/alias").asText()).isEqualTo("challenger");
        assertThat(aliases.at("/0/version").isTextual()).isTrue();
        assertThat(aliases.at("/0/version").asText()).isEqualTo("1");
        assertThat(getModel(name).at("/latest_versions/0").has("aliases")).isFalse();

        setAlias(name, "champion", "2");
        assertThat(ok(http.get(AJAX + "registered-models/alias?name=" + q(name) + "&alias=champion")).at("/model_version/version").asText())
                .isEqualTo("2");
        assertThat(getVersion(name, "1").get("aliases")).extracting(JsonNode::asText).containsExactly("challenger");

        ok(http.delete(API + "registered-models/alias", obj().put("name", name).put("alias", "challenger")));
        ok(http.deleteWithQuery(API + "registered-models/alias?name=" + q(name) + "&alias=never-set"));
        assertThat(getVersion(name, "1").has("aliases")).isFalse();
        assertThat(error(http.get(API + "registered-models/alias?name=" + q(name) + "&alias=challenger"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Registered model alias challenger not found.");
        error(http.get(API + "registered-models/alias?name=" + q(unique("none")) + "&alias=champion"), 400, "INVALID_PARAMETER_VALUE");
        error(http.delete(API + "registered-models/alias", obj().put("name", unique("none")).put("alias", "a")), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void aliasNamesFollowMlflowsRules() {
        String name = unique("alias-rules");
        createModel(name);
        createVersion(name, "s3://b/1");
        assertThat(aliasError(name, "latest", "1")).isEqualTo("'latest' alias name (case insensitive) is reserved.");
        assertThat(aliasError(name, "LaTeSt", "1")).isEqualTo("'latest' alias name (case insensitive) is reserved.");
        assertThat(aliasError(name, "v1", "1")).isEqualTo("Version alias name 'v1' is reserved.");
        assertThat(aliasError(name, "V42", "1")).isEqualTo("Version alias name 'V42' is reserved.");
        assertThat(aliasError(name, "a b", "1")).isEqualTo("Invalid alias name: 'a b'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        assertThat(aliasError(name, "../x", "1")).startsWith("Invalid alias name");
        assertThat(aliasError(name, "a".repeat(256), "1")).contains("exceeds the maximum length of 255");
        assertThat(aliasError(name, "ok", "one")).isEqualTo("Model version must be an integer, got 'one'");
        assertThat(aliasError(name, "", "1")).startsWith("Missing value for required parameter 'alias'");
        setAlias(name, "v1x", "1");
        setAlias(name, "prod-2_b", "1");
        setAlias(name, "a".repeat(255), "1");
        assertThat(error(http.post(API + "registered-models/alias", obj().put("name", name).put("alias", "x").put("version", "9")),
                404, "RESOURCE_DOES_NOT_EXIST")).isEqualTo("Model Version (name=" + name + ", version=9) not found");
        error(http.post(API + "registered-models/alias", obj().put("name", unique("none")).put("alias", "x").put("version", "1")),
                404, "RESOURCE_DOES_NOT_EXIST");
        assertThat(getVersion(name, "1").get("aliases")).hasSize(3);
    }

    private String aliasError(String name, String alias, String version) {
        return error(http.post(API + "registered-models/alias", obj().put("name", name).put("alias", alias).put("version", version)),
                400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void stagesAreCaseInsensitiveAndArchivingMovesTheOthers() {
        String name = unique("stages");
        createModel(name);
        for (int i = 0; i < 4; i++) {
            createVersion(name, "s3://b/" + i);
        }
        JsonNode v1 = transition(name, "1", "production", false);
        assertThat(v1.get("current_stage").asText()).isEqualTo("Production");
        transition(name, "2", "PRODUCTION", false);
        assertThat(getVersion(name, "1").get("current_stage").asText()).isEqualTo("Production");
        JsonNode v3 = transition(name, "3", "Production", true);
        assertThat(v3.get("current_stage").asText()).isEqualTo("Production");
        assertThat(getVersion(name, "1").get("current_stage").asText()).isEqualTo("Archived");
        assertThat(getVersion(name, "2").get("current_stage").asText()).isEqualTo("Archived");
        assertThat(getVersion(name, "2").get("last_updated_timestamp").asLong()).isEqualTo(v3.get("last_updated_timestamp").asLong());
        transition(name, "4", "staging", true);
        assertThat(getVersion(name, "3").get("current_stage").asText()).isEqualTo("Production");

        assertThat(error(http.post(API + "model-versions/transition-stage", obj().put("name", name).put("version", "1").put("stage", "Live")),
                400, "INVALID_PARAMETER_VALUE")).isEqualTo("Invalid Model Version stage: Live. Value must be one of None, Staging, Production, Archived.");
        assertThat(error(http.post(API + "model-versions/transition-stage", obj().put("name", name).put("version", "1").put("stage", "archived")
                .put("archive_existing_versions", true)), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Model version transition cannot archive existing model versions because 'archived' is not an Active stage. "
                        + "Valid stages are ['Staging', 'Production']");
        error(http.post(API + "model-versions/transition-stage", obj().put("name", name).put("version", "9").put("stage", "Staging")),
                404, "RESOURCE_DOES_NOT_EXIST");
        error(http.post(API + "model-versions/transition-stage", obj().put("name", name).put("version", "1")), 400, "INVALID_PARAMETER_VALUE");
        assertThat(getVersion(name, "1").get("current_stage").asText()).isEqualTo("Archived");

        JsonNode latest = getModel(name).get("latest_versions");
        List<String> stages = new ArrayList<>();
        latest.forEach(v -> stages.add(v.get("current_stage").asText() + "=" + v.get("version").asText()));
        assertThat(stages).containsExactly("Archived=2", "Production=3", "Staging=4");
    }

    @Test
    void getLatestVersionsAnswersPerStageOnPostAndGet() {
        String name = unique("latest");
        createModel(name);
        for (int i = 0; i < 4; i++) {
            createVersion(name, "s3://b/" + i);
        }
        transition(name, "2", "Production", false);
        transition(name, "3", "Production", false);
        transition(name, "4", "Staging", false);
        setAlias(name, "champion", "3");
        JsonNode all = ok(http.post(API + "registered-models/get-latest-versions", obj().put("name", name))).get("model_versions");
        assertThat(all).extracting(v -> v.get("current_stage").asText() + "=" + v.get("version").asText())
                .containsExactly("None=1", "Production=3", "Staging=4");
        assertThat(all.get(1).get("aliases")).extracting(JsonNode::asText).containsExactly("champion");
        ObjectNode prod = obj().put("name", name);
        prod.putArray("stages").add("production");
        assertThat(ok(http.post(AJAX + "registered-models/get-latest-versions", prod)).get("model_versions"))
                .extracting(v -> v.get("version").asText()).containsExactly("3");
        JsonNode viaGet = ok(http.get(API + "registered-models/get-latest-versions?name=" + q(name) + "&stages=None&stages=Staging"))
                .get("model_versions");
        assertThat(viaGet).extracting(v -> v.get("version").asText()).containsExactly("1", "4");
        assertThat(ok(http.get(API + "registered-models/get-latest-versions?name=" + q(name) + "&stages=Archived")).isEmpty()).isTrue();
        error(http.get(API + "registered-models/get-latest-versions?name=" + q(name) + "&stages=Gold"), 400, "INVALID_PARAMETER_VALUE");
        error(http.post(API + "registered-models/get-latest-versions", obj().put("name", unique("none"))), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void deletingAVersionHidesItRedactsItAndNeverReusesItsNumber() throws Exception {
        String name = unique("softdel");
        createModel(name);
        createVersion(name, "s3://b/1");
        createVersion(name, "s3://b/2");
        transition(name, "2", "Production", false);
        setAlias(name, "champion", "2");
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "2").put("key", "k").put("value", "v")));
        assertThat(ok(http.delete(API + "model-versions/delete", obj().put("name", name).put("version", "2"))).isEmpty()).isTrue();

        error(http.get(API + "model-versions/get?name=" + q(name) + "&version=2"), 404, "RESOURCE_DOES_NOT_EXIST");
        error(http.delete(API + "model-versions/delete", obj().put("name", name).put("version", "2")), 404, "RESOURCE_DOES_NOT_EXIST");
        error(http.get(API + "registered-models/alias?name=" + q(name) + "&alias=champion"), 400, "INVALID_PARAMETER_VALUE");
        error(http.post(API + "model-versions/transition-stage", obj().put("name", name).put("version", "2").put("stage", "None")),
                404, "RESOURCE_DOES_NOT_EXIST");
        JsonNode model = getModel(name);
        assertThat(model.has("aliases")).isFalse();
        assertThat(model.get("latest_versions")).extracting(v -> v.get("version").asText()).containsExactly("1");
        assertThat(ok(http.get(API + "model-versions/search?filter=" + q("name = '" + name + "'"))).get("model_versions"))
                .extracting(v -> v.get("version").asText()).containsExactly("1");
        assertThat(createVersion(name, "s3://b/3").get("version").asText()).isEqualTo("3");

        List<String> row = server.database().read(c -> {
            try (var p = c.prepareStatement("SELECT current_stage, source, run_id, run_link, description FROM model_versions WHERE name = ? AND version = 2")) {
                p.setString(1, name);
                try (var rs = p.executeQuery()) {
                    rs.next();
                    return java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
                }
            }
        });
        assertThat(row).containsExactly("Deleted_Internal", "REDACTED-SOURCE-PATH", "REDACTED-RUN-ID", "REDACTED-RUN-LINK", null);
        ok(http.deleteWithQuery(AJAX + "model-versions/delete?name=" + q(name) + "&version=3"));
        error(http.get(API + "model-versions/get?name=" + q(name) + "&version=3"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void renameMovesVersionsTagsAndAliases() {
        String name = unique("rename-from");
        String target = unique("rename-to");
        ObjectNode body = obj().put("name", name).put("description", "d");
        body.putArray("tags").addObject().put("key", "team").put("value", "t");
        ok(http.post(API + "registered-models/create", body));
        createVersion(name, "s3://b/1");
        createVersion(name, "s3://b/2");
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "1").put("key", "k").put("value", "v")));
        setAlias(name, "champion", "1");
        ok(http.delete(API + "model-versions/delete", obj().put("name", name).put("version", "2")));

        JsonNode renamed = ok(http.post(API + "registered-models/rename", obj().put("name", name).put("new_name", target))).get("registered_model");
        assertThat(renamed.get("name").asText()).isEqualTo(target);
        assertThat(renamed.get("description").asText()).isEqualTo("d");
        assertThat(renamed.at("/tags/0/key").asText()).isEqualTo("team");
        assertThat(renamed.at("/aliases/0/alias").asText()).isEqualTo("champion");
        assertThat(renamed.at("/latest_versions/0/name").asText()).isEqualTo(target);
        error(http.get(API + "registered-models/get?name=" + q(name)), 404, "RESOURCE_DOES_NOT_EXIST");
        JsonNode v1 = getVersion(target, "1");
        assertThat(v1.at("/tags/0/value").asText()).isEqualTo("v");
        assertThat(v1.get("aliases")).extracting(JsonNode::asText).containsExactly("champion");
        assertThat(createVersion(target, "s3://b/3").get("version").asText()).isEqualTo("3");
        long leftBehind = server.database().read(c -> {
            long n = 0;
            for (String table : List.of("model_versions", "model_version_tags", "registered_model_tags", "registered_model_aliases")) {
                try (var p = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE name = ?")) {
                    p.setString(1, name);
                    try (var rs = p.executeQuery()) {
                        rs.next();
                        n += rs.getLong(1);
                    }
                }
            }
            return n;
        });
        assertThat(leftBehind).isZero();

        String other = unique("rename-taken");
        createModel(other);
        assertThat(error(http.post(API + "registered-models/rename", obj().put("name", other).put("new_name", target)),
                400, "RESOURCE_ALREADY_EXISTS")).startsWith("Registered Model (name=" + target + ") already exists.");
        error(http.post(API + "registered-models/rename", obj().put("name", unique("none")).put("new_name", unique("x"))),
                404, "RESOURCE_DOES_NOT_EXIST");
        error(http.post(API + "registered-models/rename", obj().put("name", other)), 400, "INVALID_PARAMETER_VALUE");
        assertThat(ok(http.post(AJAX + "registered-models/rename", obj().put("name", other).put("new_name", other)))
                .at("/registered_model/name").asText()).isEqualTo(other);
    }

    @Test
    void deletingAModelRemovesEverythingAndTheNameStartsOver() {
        String name = unique("harddel");
        createModel(name);
        createVersion(name, "s3://b/1");
        createVersion(name, "s3://b/2");
        ok(http.delete(API + "model-versions/delete", obj().put("name", name).put("version", "2")));
        ok(http.post(API + "registered-models/set-tag", obj().put("name", name).put("key", "k").put("value", "v")));
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "1").put("key", "k").put("value", "v")));
        setAlias(name, "champion", "1");
        ok(http.delete(API + "registered-models/delete", obj().put("name", name)));
        long rows = server.database().read(c -> {
            long n = 0;
            for (String table : List.of("registered_models", "model_versions", "model_version_tags", "registered_model_tags",
                    "registered_model_aliases")) {
                try (var p = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE name = ?")) {
                    p.setString(1, name);
                    try (var rs = p.executeQuery()) {
                        rs.next();
                        n += rs.getLong(1);
                    }
                }
            }
            return n;
        });
        assertThat(rows).isZero();
        createModel(name);
        assertThat(createVersion(name, "s3://b/new").get("version").asText()).isEqualTo("1");
        assertThat(getVersion(name, "1").has("aliases")).isFalse();
        assertThat(getVersion(name, "1").has("tags")).isFalse();
    }

    @Test
    void everyEndpointAnswersUnderBothPrefixes() {
        String name = unique("prefixes");
        for (String prefix : List.of(API, AJAX)) {
            String n = name + prefix.length();
            ok(http.post(prefix + "registered-models/create", obj().put("name", n)));
            ok(http.get(prefix + "registered-models/get?name=" + q(n)));
            ok(http.get(prefix + "registered-models/search"));
            ok(http.patch(prefix + "registered-models/update", obj().put("name", n).put("description", "x")));
            ok(http.post(prefix + "registered-models/set-tag", obj().put("name", n).put("key", "k").put("value", "v")));
            ok(http.delete(prefix + "registered-models/delete-tag", obj().put("name", n).put("key", "k")));
            ok(http.post(prefix + "model-versions/create", obj().put("name", n).put("source", "s3://b/m")));
            ok(http.get(prefix + "model-versions/get?name=" + q(n) + "&version=1"));
            ok(http.get(prefix + "model-versions/search"));
            ok(http.get(prefix + "model-versions/get-download-uri?name=" + q(n) + "&version=1"));
            ok(http.patch(prefix + "model-versions/update", obj().put("name", n).put("version", "1").put("description", "d")));
            ok(http.post(prefix + "model-versions/transition-stage", obj().put("name", n).put("version", "1").put("stage", "Staging")));
            ok(http.post(prefix + "model-versions/set-tag", obj().put("name", n).put("version", "1").put("key", "k").put("value", "v")));
            ok(http.delete(prefix + "model-versions/delete-tag", obj().put("name", n).put("version", "1").put("key", "k")));
            ok(http.post(prefix + "registered-models/get-latest-versions", obj().put("name", n)));
            ok(http.get(prefix + "registered-models/get-latest-versions?name=" + q(n)));
            ok(http.post(prefix + "registered-models/alias", obj().put("name", n).put("alias", "a").put("version", "1")));
            ok(http.get(prefix + "registered-models/alias?name=" + q(n) + "&alias=a"));
            ok(http.delete(prefix + "registered-models/alias", obj().put("name", n).put("alias", "a")));
            ok(http.delete(prefix + "model-versions/delete", obj().put("name", n).put("version", "1")));
            ok(http.post(prefix + "registered-models/rename", obj().put("name", n).put("new_name", n + "-r")));
            ok(http.delete(prefix + "registered-models/delete", obj().put("name", n + "-r")));
        }
    }
}
