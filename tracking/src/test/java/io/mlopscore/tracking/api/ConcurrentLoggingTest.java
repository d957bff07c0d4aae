package io.mlopscore.tracking.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.tracking.testing.Http;
import io.mlopscore.tracking.testing.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 32 clients log metrics into 32 runs at once on SQLite for several seconds: no request fails
 * ("database is locked" or otherwise), and every acknowledged metric is in the store afterwards,
 * counted one by one through get-history.
 */
class ConcurrentLoggingTest {
    private static final int THREADS = 32;
    private static final long DURATION_MS = 5_000;

    @Test
    void concurrentWritersLoseNothingAndNeverSeeLockErrors() throws Exception {
        try (ServerFixture fixture = ServerFixture.start("sqlite")) {
            Http http = fixture.http;
            String exp = http.api("experiments/create", Http.obj().put("name", "concurrency")).get("experiment_id").asText();
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                runs.add(http.api("runs/create", Http.obj().put("experiment_id", exp)).at("/run/info/run_id").asText());
            }
            AtomicInteger failures = new AtomicInteger();
            List<String> failureSamples = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> acknowledged = new ArrayList<>();
            long deadline = System.currentTimeMillis() + DURATION_MS;
            for (String run : runs) {
                acknowledged.add(pool.submit(() -> {
                    Http client = new Http(fixture.url());
                    int ok = 0;
                    for (int step = 0; System.currentTimeMillis() < deadline && step < 1_000_000; step++) {
                        Http.Response r = client.post("/api/2.0/mlflow/runs/log-metric",
                                Http.obj().put("run_id", run).put("key", "loss").put("value", 1.0 / (step + 1)).put("timestamp", step).put("step", step));
                        if (r.status() == 200) {
                            ok++;
                        } else {
                            failures.incrementAndGet();
                            if (failureSamples.size() < 5) {
                                failureSamples.add(r.status() + " " + r.body());
                            }
                        }
                    }
                    return ok;
                }));
            }
            pool.shutdown();
            long total = 0;
            for (int i = 0; i < THREADS; i++) {
                int ok = acknowledged.get(i).get();
                total += ok;
                JsonNode history = http.apiGet("metrics/get-history?run_id=" + runs.get(i) + "&metric_key=loss").path("metrics");
                assertThat(history.size()).as("metrics stored for run %d", i).isEqualTo(ok);
                JsonNode latest = http.apiGet("runs/get?run_id=" + runs.get(i)).at("/run/data/metrics/0");
                assertThat(latest.get("step").asLong()).isEqualTo(ok - 1);
            }
            System.out.printf("ConcurrentLoggingTest: %d metrics acknowledged by %d clients in %d ms (%.0f/s)%n", total, THREADS, DURATION_MS, total * 1000.0 / DURATION_MS);
            assertThat(failureSamples).isEmpty();
            assertThat(failures.get()).isZero();
            assertThat(total).as("acknowledged writes in %d ms", DURATION_MS).isGreaterThan(THREADS * 10L);
        }
    }
}
