package io.mlopscore.tracking.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mlopscore.common.http.ApiException;
import io.mlopscore.common.http.ErrorCode;
import io.mlopscore.tracking.model.Tag;
import io.mlopscore.tracking.store.BackendUri;
import io.mlopscore.tracking.store.Database;
import io.mlopscore.tracking.store.DatasetStore;
import io.mlopscore.tracking.store.ExperimentStore;
import io.mlopscore.tracking.store.MetricStore;
import io.mlopscore.tracking.store.RunStore;
import io.mlopscore.tracking.store.Schema;
import io.mlopscore.tracking.testing.Backend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry's Java API as the artifact endpoint and the model server use it: downloadUri,
 * resolve, and the events heard after each committed change (none for a refused one).
 * Subclasses pick the backend store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryStoreContract {
    Backend backend;
    Database db;
    RegistryStore registry;
    final List<String> heard = Collections.synchronizedList(new ArrayList<>());
    volatile boolean listenerThrows;

    abstract String backendKind();

    @BeforeAll
    void openStore() {
        backend = Backend.of(backendKind());
        db = Database.open(BackendUri.parse(backend.uri()));
        Schema.ensure(db, "mlflow-artifacts:/");
        ExperimentStore experiments = new ExperimentStore(db, "mlflow-artifacts:/");
        RunStore runs = new RunStore(db, experiments, new MetricStore(db), new DatasetStore());
        registry = new RegistryStore(db, runs, new RegistryEvents() {
            @Override
            public void aliasChanged(String name, String alias, String version) {
                heard.add("alias " + name + " " + alias + " " + version);
                if (listenerThrows) {
                    throw new IllegalStateException("listener down");
                }
            }

            @Override
            public void stageChanged(String name, String version, String stage) {
                heard.add("stage " + name + " " + version + " " + stage);
                if (listenerThrows) {
                    throw new IllegalStateException("listener down");
                }
            }
        });
    }

    @AfterAll
    void closeStore() {
        if (db != null) {
            db.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void forget() {
        heard.clear();
        listenerThrows = false;
    }

    private String model(int versions) {
        String name = RegistryTestBase.unique("store");
        registry.createRegisteredModel(name, List.of(new Tag("k", "v")), "");
        for (int i = 1; i <= versions; i++) {
            registry.createModelVersion(name, "s3://bucket/" + name + "/" + i, "", List.of(), "", "");
        }
        return name;
    }

    @Test
    void downloadUriAnswersAsGetDownloadUriDoes() {
        String name = model(2);
        assertThat(registry.downloadUri(name, "2")).isEqualTo("s3://bucket/" + name + "/2");
        String mirror = model(0);
        registry.createModelVersion(mirror, "models:/" + name + "/1", "", List.of(), "", "");
        assertThat(registry.downloadUri(mirror, "1")).isEqualTo("s3://bucket/" + name + "/1");
        assertThatThrownBy(() -> registry.downloadUri(name, "3")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
            assertThat(e.httpStatus()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("Model Version (name=" + name + ", version=3) not found");
        });
        assertThatThrownBy(() -> registry.downloadUri("no-such-model", "1")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(404));
        assertThatThrownBy(() -> registry.downloadUri(name, "x")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(400));
        registry.deleteModelVersion(name, "2");
        assertThatThrownBy(() -> registry.downloadUri(name, "2")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void resolveGivesVersionSourceDownloadUriAndRunInOneCall() {
        String name = model(3);
        registry.transitionStage(name, "2", "Production", false);
        registry.setAlias(name, "champion", "2");
        ResolvedModel byAlias = registry.resolve("models:/" + name + "@champion");
        assertThat(byAlias).isEqualTo(new ResolvedModel(name, "2", "s3://bucket/" + name + "/2", "s3://bucket/" + name + "/2", "",
                "Production", List.of("champion")));
        assertThat(registry.resolve("models:/" + name + "/production")).isEqualTo(byAlias);
        assertThat(registry.resolve("models:/" + name + "/latest").version()).isEqualTo("3");
        assertThat(registry.resolve(ModelUri.parse("models:/" + name + "/1")).currentStage()).isEqualTo("None");
    }

    @Test
    void listenersHearEachCommittedChangeOnce() {
        String name = model(2);
        assertThat(heard).containsExactly("stage " + name + " 1 None", "stage " + name + " 2 None");
        heard.clear();
        registry.transitionStage(name, "1", "Production", false);
        registry.transitionStage(name, "2", "production", true);
        assertThat(heard).containsExactly("stage " + name + " 1 Production", "stage " + name + " 2 Production", "stage " + name + " 1 Archived");
        heard.clear();
        registry.setAlias(name, "champion", "2");
        registry.setAlias(name, "champion", "1");
        registry.deleteAlias(name, "champion");
        registry.deleteAlias(name, "champion");
        assertThat(heard).containsExactly("alias " + name + " champion 2", "alias " + name + " champion 1", "alias " + name + " champion null");
        heard.clear();
        registry.setAlias(name, "live", "2");
        heard.clear();
        registry.deleteModelVersion(name, "2");
        assertThat(heard).containsExactly("stage " + name + " 2 Deleted_Internal", "alias " + name + " live null");
    }

    @Test
    void renameAndDeleteAnnounceWhatMovedAndWhatWentAway() {
        String name = model(2);
        registry.transitionStage(name, "2", "Staging", false);
        registry.setAlias(name, "champion", "1");
        heard.clear();
        String renamed = name + "-renamed";
        registry.renameRegisteredModel(name, renamed);
        assertThat(heard).containsExactly("stage " + name + " 1 Deleted_Internal", "stage " + name + " 2 Deleted_Internal",
                "alias " + name + " champion null", "stage " + renamed + " 1 None", "stage " + renamed + " 2 Staging",
                "alias " + renamed + " champion 1");
        heard.clear();
        registry.deleteRegisteredModel(renamed);
        assertThat(heard).containsExactly("stage " + renamed + " 1 Deleted_Internal", "stage " + renamed + " 2 Deleted_Internal",
                "alias " + renamed + " champion null");
    }

    @Test
    void refusedChangesAreSilentAndAFailingListenerDoesNotFailTheChange() {
        String name = model(1);
        heard.clear();
        assertThatThrownBy(() -> registry.setAlias(name, "x", "9")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> registry.transitionStage(name, "1", "Gold", false)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> registry.transitionStage(name, "1", "None", true)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> registry.createModelVersion(name, "s3://b/../x", "", List.of(), "", "")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> registry.deleteModelVersion(name, "5")).isInstanceOf(ApiException.class);
        assertThat(heard).isEmpty();
        listenerThrows = true;
        registry.setAlias(name, "champion", "1");
        assertThat(registry.getModelVersion(name, "1").aliases()).containsExactly("champion");
        assertThat(registry.createModelVersion(name, "s3://b/2", "", List.of(), "", "").version()).isEqualTo(2);
    }
}
