package io.mlopscore.tracking.registry;

import static io.mlopscore.tracking.registry.RegistryHttp.AJAX;
import static io.mlopscore.tracking.registry.RegistryHttp.API;
import static io.mlopscore.tracking.registry.RegistryHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * search-registered-models and search-model-versions: MLflow 2.19's filter keys and comparators,
 * order_by keys, defaults and tie-breaks, max_results limits and page tokens. Subclasses pick
 * the backend store.
 */
abstract class RegistrySearchContract extends RegistryTestBase {
    /** Every model of this class starts with it, so filters can keep to this class's data. */
    String p;
    String runA;
    String runB;

    /**
     * Models {p}-alpha (tag team=risk, 3 versions), {p}-Bravo (tag team=growth, 1 version),
     * {p}-charlie (no tag, 2 versions, v2 deleted), each created a few ms apart and updated in
     * order charlie, alpha, bravo.
     */
    @BeforeAll
    void seed() throws InterruptedException {
        p = unique("srch");
        runA = proxiedRun();
        runB = proxiedRun();
        for (String[] m : new String[][] {{"alpha", "risk"}, {"Bravo", "growth"}, {"charlie", null}}) {
            createModel(p + "-" + m[0]);
            if (m[1] != null) {
                ok(http.post(API + "registered-models/set-tag", obj().put("name", p + "-" + m[0]).put("key", "team").put("value", m[1])));
            }
            Thread.sleep(3);
        }
        version(p + "-alpha", "s3://bucket/alpha/1", runA);
        version(p + "-alpha", "s3://bucket/alpha/2", runA);
        version(p + "-alpha", "s3://other/alpha/3", runB);
        ok(http.post(API + "model-versions/set-tag", obj().put("name", p + "-alpha").put("version", "2").put("key", "flavor").put("value", "onnx")));
        version(p + "-Bravo", "s3://bucket/bravo/1", runB);
        version(p + "-charlie", "s3://bucket/charlie/1", runA);
        version(p + "-charlie", "s3://bucket/charlie/2", runA);
        ok(http.delete(API + "model-versions/delete", obj().put("name", p + "-charlie").put("version", "2")));
        for (String m : List.of("charlie", "alpha", "Bravo")) {
            Thread.sleep(3);
            ok(http.patch(API + "registered-models/update", obj().put("name", p + "-" + m).put("description", "touched")));
        }
    }

    private void version(String name, String source, String runId) {
        ok(http.post(API + "model-versions/create", obj().put("name", name).put("source", source).put("run_id", runId)));
    }

    private List<String> models(String query) {
        JsonNode body = ok(http.get(API + "registered-models/search?" + query));
        List<String> names = new ArrayList<>();
        body.path("registered_models").forEach(m -> names.add(m.get("name").asText().substring(p.length() + 1)));
        return names;
    }

    private List<String> versions(String query) {
        JsonNode body = ok(http.get(API + "model-versions/search?" + query));
        List<String> out = new ArrayList<>();
        body.path("model_versions").forEach(v -> out.add(v.get("name").asText().substring(p.length() + 1) + "/" + v.get("version").asText()));
        return out;
    }

    private String mine(String more) {
        return q("name LIKE '" + p + "-%'" + (more.isEmpty() ? "" : " AND " + more));
    }

    @Test
    void registeredModelsFilterOnNameAndTags() {
        assertThat(models("filter=" + mine(""))).containsExactly("Bravo", "alpha", "charlie");
        assertThat(models("filter=" + q("name = '" + p + "-alpha'"))).containsExactly("alpha");
        assertThat(models("filter=" + mine("name != '" + p + "-alpha'"))).containsExactly("Bravo", "charlie");
        assertThat(models("filter=" + q("name LIKE '" + p + "-b%'"))).isEmpty();
        assertThat(models("filter=" + q("name ILIKE '" + p + "-b%'"))).containsExactly("Bravo");
        assertThat(models("filter=" + mine("tags.team = 'risk'"))).containsExactly("alpha");
        assertThat(models("filter=" + mine("tag.`team` != 'risk'"))).containsExactly("Bravo");
        assertThat(models("filter=" + mine("tags.team LIKE '%r%'"))).containsExactly("Bravo", "alpha");
        assertThat(models("filter=" + mine("attribute.name ILIKE '%CHARLIE'"))).containsExactly("charlie");
        assertThat(ok(http.get(API + "registered-models/search?filter=" + q("name = 'nobody-" + p + "'"))).isEmpty()).isTrue();
    }

    @Test
    void registeredModelsComeWithLatestVersionsTagsAndAliases() {
        setAlias(p + "-Bravo", "live", "1");
        JsonNode m = ok(http.get(AJAX + "registered-models/search?filter=" + q("name = '" + p + "-Bravo'"))).at("/registered_models/0");
        assertThat(m.at("/latest_versions/0/version").asText()).isEqualTo("1");
        assertThat(m.at("/tags/0/value").asText()).isEqualTo("growth");
        assertThat(m.at("/aliases/0/alias").asText()).isEqualTo("live");
        assertThat(m.get("description").asText()).isEqualTo("touched");
    }

    @Test
    void registeredModelsOrderByNameAndUpdateTime() {
        assertThat(models("filter=" + mine("") + "&order_by=" + q("name DESC"))).containsExactly("charlie", "alpha", "Bravo");
        assertThat(models("filter=" + mine("") + "&order_by=" + q("timestamp ASC"))).containsExactly("charlie", "alpha", "Bravo");
        assertThat(models("filter=" + mine("") + "&order_by=" + q("last_updated_timestamp DESC"))).containsExactly("Bravo", "alpha", "charlie");
        assertThat(models("filter=" + mine("") + "&order_by=" + q("attribute.last_updated_timestamp") + "&order_by=" + q("name DESC")))
                .containsExactly("charlie", "alpha", "Bravo");
    }

    @Test
    void registeredModelSearchRefusesWhatMlflowRefuses() {
        for (String bad : List.of("version = '1'", "tags.team > 'a'", "name > 'a'", "run.name = 'x'", "name = x", "name = 1",
                "name = 'a' OR name = 'b'", "(name = 'a')", "name IN ('a')", "name = 'a';")) {
            assertThat(error(http.get(API + "registered-models/search?filter=" + q(bad)), 400, "INVALID_PARAMETER_VALUE")).as(bad).isNotEmpty();
        }
        assertThat(error(http.get(API + "registered-models/search?filter=" + q("version = '1'")), 400, "INVALID_PARAMETER_VALUE"))
                .contains("Invalid attribute key 'version' specified. Valid keys are '{'name'}'");
        assertThat(error(http.get(API + "registered-models/search?filter=" + q("run.name = 'x'")), 400, "INVALID_PARAMETER_VALUE"))
                .contains("Invalid entity type 'run'. Valid entity types are ('attribute', 'tag', 'tags')");
        for (String bad : List.of("creation_timestamp", "tags.team", "name SIDEWAYS", "version_number")) {
            assertThat(error(http.get(API + "registered-models/search?order_by=" + q(bad)), 400, "INVALID_PARAMETER_VALUE")).as(bad).isNotEmpty();
        }
        assertThat(error(http.get(API + "registered-models/search?order_by=timestamp&order_by=" + q("last_updated_timestamp DESC")),
                400, "INVALID_PARAMETER_VALUE")).startsWith("`order_by` contains duplicate fields:");
        assertThat(error(http.get(API + "registered-models/search?max_results=1001"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Invalid value 1001 for parameter 'max_results' supplied. It must be at most 1000");
        error(http.get(API + "registered-models/search?max_results=0"), 400, "INVALID_PARAMETER_VALUE");
        error(http.get(API + "registered-models/search?max_results=ten"), 400, "INVALID_PARAMETER_VALUE");
        assertThat(error(http.get(API + "registered-models/search?page_token=evilhax"), 400, "INVALID_PARAMETER_VALUE"))
                .startsWith("Invalid page token");
    }

    @Test
    void registeredModelsPageWithTokensOnlyWhileMoreRemain() {
        JsonNode first = ok(http.get(API + "registered-models/search?max_results=2&filter=" + mine("")));
        assertThat(first.get("registered_models")).hasSize(2);
        String token = first.get("next_page_token").asText();
        JsonNode second = ok(http.get(API + "registered-models/search?max_results=2&filter=" + mine("") + "&page_token=" + q(token)));
        assertThat(second.get("registered_models")).extracting(m -> m.get("name").asText()).containsExactly(p + "-charlie");
        assertThat(second.has("next_page_token")).isFalse();
        JsonNode exact = ok(http.get(API + "registered-models/search?max_results=3&filter=" + mine("")));
        assertThat(exact.get("registered_models")).hasSize(3);
        assertThat(exact.has("next_page_token")).isFalse();
    }

    @Test
    void registeredModelSearchDefaultsToAHundredPerPage() {
        String prefix = unique("hundred");
        for (int i = 0; i < 101; i++) {
            ok(http.post(API + "registered-models/create", obj().put("name", prefix + String.format("-%03d", i))));
        }
        JsonNode page = ok(http.get(API + "registered-models/search?filter=" + q("name LIKE '" + prefix + "-%'")));
        assertThat(page.get("registered_models")).hasSize(100);
        assertThat(page.has("next_page_token")).isTrue();
        JsonNode rest = ok(http.get(API + "registered-models/search?filter=" + q("name LIKE '" + prefix + "-%'") + "&page_token="
                + q(page.get("next_page_token").asText())));
        assertThat(rest.get("registered_models")).extracting(m -> m.get("name").asText()).containsExactly(prefix + "-100");
    }

    @Test
    void modelVersionsFilterOnAttributesAndTagsAndSkipDeletedOnes() {
        String mine = "name LIKE '" + p + "-%'";
        assertThat(versions("filter=" + q(mine) + "&order_by=name&order_by=" + q("version_number ASC")))
                .containsExactly("Bravo/1", "alpha/1", "alpha/2", "alpha/3", "charlie/1");
        assertThat(versions("filter=" + q("name = '" + p + "-alpha'") + "&order_by=" + q("version_number"))).containsExactly("alpha/1", "alpha/2", "alpha/3");
        assertThat(versions("filter=" + q(mine + " AND run_id = '" + runB + "'") + "&order_by=name")).containsExactly("Bravo/1", "alpha/3");
        assertThat(versions("filter=" + q(mine + " AND run_id IN ('" + runB + "', 'nothing')") + "&order_by=name"))
                .containsExactly("Bravo/1", "alpha/3");
        assertThat(versions("filter=" + q(mine + " AND source_path LIKE 's3://bucket/%'") + "&order_by=name&order_by=version_number"))
                .containsExactly("Bravo/1", "alpha/1", "alpha/2", "charlie/1");
        assertThat(versions("filter=" + q(mine + " AND source_path ILIKE 'S3://OTHER/%'"))).containsExactly("alpha/3");
        assertThat(versions("filter=" + q(mine + " AND version_number >= 2") + "&order_by=version_number")).containsExactly("alpha/2", "alpha/3");
        assertThat(versions("filter=" + q(mine + " AND version_number != 1"))).containsExactly("alpha/3", "alpha/2");
        assertThat(versions("filter=" + q(mine + " AND tags.flavor = 'onnx'"))).containsExactly("alpha/2");
        assertThat(versions("filter=" + q(mine + " AND creation_timestamp > 0 AND last_updated_timestamp > 0"))).hasSize(5);
        assertThat(versions("filter=" + q("name = '" + p + "-charlie'"))).containsExactly("charlie/1");
    }

    @Test
    void modelVersionsDefaultToNewestUpdateFirstAndCarryTagsButNoAliases() throws InterruptedException {
        String name = unique("mvorder");
        createModel(name);
        for (int i = 0; i < 3; i++) {
            createVersion(name, "s3://b/" + i);
            Thread.sleep(3);
        }
        ok(http.patch(API + "model-versions/update", obj().put("name", name).put("version", "1").put("description", "newest")));
        setAlias(name, "champion", "1");
        ok(http.post(API + "model-versions/set-tag", obj().put("name", name).put("version", "1").put("key", "k").put("value", "v")));
        JsonNode list = ok(http.get(API + "model-versions/search?filter=" + q("name = '" + name + "'"))).get("model_versions");
        assertThat(list).extracting(v -> v.get("version").asText()).containsExactly("1", "3", "2");
        assertThat(list.get(0).has("aliases")).isFalse();
        assertThat(list.get(0).at("/tags/0/key").asText()).isEqualTo("k");
        assertThat(list.get(0).get("description").asText()).isEqualTo("newest");
        assertThat(ok(http.get(API + "model-versions/search?filter=" + q("name = '" + name + "'") + "&order_by=" + q("creation_timestamp DESC")))
                .get("model_versions")).extracting(v -> v.get("version").asText()).containsExactly("3", "2", "1");
    }

    @Test
    void modelVersionSearchRefusesWhatMlflowRefuses() {
        for (String bad : List.of("name IN ('a')", "source_path IN ('a')", "version_number = '1'", "version_number LIKE 1", "stage = 'None'",
                "run_id NOT IN ('a')", "tags.k > 'a'", "run_id = abc", "metrics.x > 1")) {
            assertThat(error(http.get(API + "model-versions/search?filter=" + q(bad)), 400, "INVALID_PARAMETER_VALUE")).as(bad).isNotEmpty();
        }
        assertThat(error(http.get(API + "model-versions/search?filter=" + q("name IN ('a')")), 400, "INVALID_PARAMETER_VALUE"))
                .contains("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        for (String bad : List.of("timestamp", "run_id", "tags.k", "name UP")) {
            error(http.get(API + "model-versions/search?order_by=" + q(bad)), 400, "INVALID_PARAMETER_VALUE");
        }
        error(http.get(API + "model-versions/search?order_by=name&order_by=" + q("name DESC")), 400, "INVALID_PARAMETER_VALUE");
        assertThat(error(http.get(API + "model-versions/search?max_results=0"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Invalid value for max_results. It must be a positive integer, but got 0");
        assertThat(error(http.get(API + "model-versions/search?max_results=200001"), 400, "INVALID_PARAMETER_VALUE"))
                .isEqualTo("Invalid value 200001 for parameter 'max_results' supplied. It must be at most 200000");
        ok(http.get(API + "model-versions/search?max_results=200000&filter=" + q("name = 'x'")));
        error(http.get(API + "model-versions/search?page_token=" + q("eyJvZmZzZXQiOiAwfQ==")), 400, "INVALID_PARAMETER_VALUE");
    }

    @Test
    void modelVersionsPageWithMlflowsTokens() {
        String filter = q("name LIKE '" + p + "-%'");
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            JsonNode page = ok(http.get(API + "model-versions/search?max_results=2&order_by=name&order_by=version_number&filter=" + filter
                    + (token == null ? "" : "&page_token=" + q(token))));
            page.get("model_versions").forEach(v -> seen.add(v.get("name").asText().substring(p.length() + 1) + "/" + v.get("version").asText()));
            token = page.has("next_page_token") ? page.get("next_page_token").asText() : null;
            pages++;
        } while (token != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("Bravo/1", "alpha/1", "alpha/2", "alpha/3", "charlie/1");
        assertThat(ok(http.get(API + "model-versions/search?max_results=2&filter=" + filter)).get("next_page_token").asText())
                .isEqualTo("eyJvZmZzZXQiOiAyfQ==");
    }
}
