package io.mlopscore.bench;

import io.mlopscore.tracking.registry.ModelResolver;
import io.mlopscore.tracking.store.BackendUri;
import io.mlopscore.tracking.store.Database;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Resolving {@code models:/name@alias}, the model server's one registry call, on a SQLite store:
 * through the server's resolve endpoint and MLflow's own get-by-alias endpoint, against the HTTP
 * floor ({@code GET /health}) and the in-process resolver on the same database, in one run.
 *
 * <pre>
 * java -cp bench/target/tracking-bench.jar io.mlopscore.bench.RegistryBench [iterations]
 * </pre>
 */
public final class RegistryBench {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        Path jar = Path.of("app/target/mlops-core.jar").toAbsolutePath();
        Path work = Files.createTempDirectory("registry-bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String db = "sqlite:///" + work.resolve("mlflow.db");
        Process server = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString(), "tracking", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--backend-store-uri", db, "--artifacts-destination", work.resolve("artifacts").toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("server.log").toFile()).start();
        String base = "http://127.0.0.1:" + port;
        try {
            waitForHealth(base);
            String exp = post(base, "experiments/create", "{\"name\": \"bench\"}").replaceAll(".*\"experiment_id\":\"(\\d+)\".*", "$1");
            String run = post(base, "runs/create", "{\"experiment_id\": \"" + exp + "\"}").replaceAll(".*\"run_id\":\"([0-9a-f]{32})\".*", "$1");
            post(base, "registered-models/create", "{\"name\": \"churn\"}");
            for (int v = 0; v < 20; v++) {
                post(base, "model-versions/create", "{\"name\": \"churn\", \"source\": \"mlflow-artifacts:/" + exp + "/" + run + "/artifacts/model\", \"run_id\": \"" + run + "\"}");
            }
            post(base, "registered-models/alias", "{\"name\": \"churn\", \"alias\": \"champion\", \"version\": \"17\"}");

            System.out.printf("%-58s %8s %9s %9s %9s%n", "models:/churn@champion (SQLite, sequential, 1 client)", "n", "p50 ms", "p90 ms", "p99 ms");
            report("GET /api/2.0/mlops-core/models/resolve?uri=...", iterations, () -> get(base + "/api/2.0/mlops-core/models/resolve?uri=models:/churn@champion"));
            report("GET /api/2.0/mlflow/registered-models/alias", iterations, () -> get(base + "/api/2.0/mlflow/registered-models/alias?name=churn&alias=champion"));
            report("GET /health (HTTP floor)", iterations, () -> get(base + "/health"));
            try (Database database = Database.open(BackendUri.parse(db))) {
                ModelResolver resolver = new ModelResolver(database);
                report("in-process ModelResolver.resolve (store floor)", iterations, () -> {
                    long t = System.nanoTime();
                    resolver.resolve("models:/churn@champion");
                    return System.nanoTime() - t;
                });
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void report(String what, int n, LongSupplier timedNanos) {
        for (int i = 0; i < Math.min(2000, n); i++) {
            timedNanos.getAsLong(); // warm-up: JIT on both sides
        }
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            samples[i] = timedNanos.getAsLong();
        }
        Arrays.sort(samples);
        System.out.printf("%-58s %8d %9.3f %9.3f %9.3f%n", what, n, samples[n / 2] / 1e6, samples[(int) (n * 0.9)] / 1e6, samples[(int) (n * 0.99)] / 1e6);
    }

    private static long get(String url) {
        long t = System.nanoTime();
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - t;
    }

    private static String post(String base, String endpoint, String json) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(endpoint + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static void waitForHealth(String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the server did not start; see its log");
    }
}
