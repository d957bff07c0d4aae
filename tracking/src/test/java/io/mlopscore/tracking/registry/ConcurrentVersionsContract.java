package io.mlopscore.tracking.registry;

import static io.mlopscore.tracking.registry.RegistryHttp.API;
import static org.assertj.core.api.Assertions.assertThat;

import io.mlopscore.tracking.testing.Http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;

/**
 * 16 clients register versions of one model at the same instant: every request succeeds and
 * the versions are exactly 1..16, no gap and no duplicate, in the responses and in the store.
 * Repeated, because a race shows only sometimes. Subclasses pick the backend store.
 */
abstract class ConcurrentVersionsContract extends RegistryTestBase {
    private static final int CLIENTS = 16;

    @RepeatedTest(3)
    void sixteenConcurrentCreatesGetVersionsOneToSixteen() throws Exception {
        String name = unique("race");
        createModel(name);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> results = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    RegistryHttp own = new RegistryHttp(server.url());
                    ready.countDown();
                    go.await();
                    return own.post(API + "model-versions/create", obj().put("name", name).put("source", "s3://bucket/race/" + n));
                }));
            }
            ready.await();
            go.countDown();
            List<Integer> versions = new ArrayList<>();
            for (Future<Response> f : results) {
                versions.add(ok(f.get()).at("/model_version/version").asInt());
            }
            assertThat(versions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, CLIENTS).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
        List<Integer> stored = server.database().read(c -> {
            try (var p = c.prepareStatement("SELECT version FROM model_versions WHERE name = ? ORDER BY version")) {
                p.setString(1, name);
                try (var rs = p.executeQuery()) {
                    List<Integer> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(rs.getInt(1));
                    }
                    return out;
                }
            }
        });
        assertThat(stored).containsExactlyElementsOf(IntStream.rangeClosed(1, CLIENTS).boxed().toList());
        assertThat(getModel(name).at("/latest_versions/0/version").asText()).isEqualTo(Integer.toString(CLIENTS));
    }
}
