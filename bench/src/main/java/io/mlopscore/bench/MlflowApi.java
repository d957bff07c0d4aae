package io.mlopscore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The few MLflow REST calls the bench makes, and the JSON bodies it sends (built by hand, as a
 * Python client would send them, so building them costs the timed part nothing).
 */
final class MlflowApi {
    static final String PREFIX = "/api/2.0/mlflow";
    static final String LOG_METRIC = PREFIX + "/runs/log-metric";
    static final String LOG_BATCH = PREFIX + "/runs/log-batch";
    static final String SEARCH_RUNS = PREFIX + "/runs/search";
    static final ObjectMapper JSON = new ObjectMapper();
    /** A fixed base time so runs are reproducible; timestamps only need to differ. */
    static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

    private MlflowApi() {}

    static String createExperiment(LoadClient c, String name) throws Exception {
        JsonNode r = call(c, PREFIX + "/experiments/create", "{\"name\":" + q(name) + "}");
        return r.path("experiment_id").asText();
    }

    static String createRun(LoadClient c, String experimentId, String name, long startTime, List<String[]> tags) throws Exception {
        StringBuilder b = new StringBuilder(256).append("{\"experiment_id\":").append(q(experimentId))
                .append(",\"run_name\":").append(q(name)).append(",\"start_time\":").append(startTime)
                .append(",\"user_id\":\"bench\",\"tags\":[");
        appendKeyValues(b, tags);
        b.append("]}");
        JsonNode r = call(c, PREFIX + "/runs/create", b.toString());
        String id = r.path("run").path("info").path("run_id").asText();
        if (id.isEmpty()) {
            throw new IOException("runs/create answered no run id: " + r);
        }
        return id;
    }

    static JsonNode call(LoadClient c, String path, String body) throws Exception {
        LoadClient.Response r = c.send(path, body.getBytes(StandardCharsets.UTF_8));
        if (r.status() != 200) {
            throw new IOException(path + " answered " + r.status() + ": " + abbreviate(r.text()));
        }
        return JSON.readTree(r.body());
    }

    /** Fails unless the answer is 200; the body is not parsed (timed paths). */
    static LoadClient.Response ok(LoadClient.Response r, String what) throws IOException {
        if (r.status() != 200) {
            throw new IOException(what + " answered " + r.status() + ": " + abbreviate(r.text()));
        }
        return r;
    }

    static byte[] logMetricBody(String runId, String key, double value, long timestamp, long step) {
        return ("{\"run_id\":\"" + runId + "\",\"key\":\"" + key + "\",\"value\":" + num(value)
                + ",\"timestamp\":" + timestamp + ",\"step\":" + step + "}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A log-batch of {@code size} metrics: {@code keys} metric names, each logged at
     * {@code size / keys} consecutive steps starting at {@code firstStep} (a training loop that
     * flushes every few steps). Every row is new, so every row is an insert.
     */
    static byte[] logBatchBody(String runId, int size, int keys, long firstStep, long timestamp, java.util.Random random) {
        StringBuilder b = new StringBuilder(size * 64).append("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
        int stepsPerKey = Math.max(1, size / keys);
        int written = 0;
        for (int s = 0; s < stepsPerKey && written < size; s++) {
            for (int k = 0; k < keys && written < size; k++) {
                if (written > 0) {
                    b.append(',');
                }
                b.append("{\"key\":\"metric_").append(String.format(Locale.ROOT, "%03d", k)).append("\",\"value\":")
                        .append(num(random.nextDouble())).append(",\"timestamp\":").append(timestamp + s)
                        .append(",\"step\":").append(firstStep + s).append('}');
                written++;
            }
        }
        return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One seeded run's log-batch: params, a few metrics over three steps, tags. */
    static String seedBatchBody(String runId, int i, java.util.Random random) {
        String[] lr = {"0.1", "0.01", "0.001", "0.0001"};
        String[] optimizer = {"adam", "sgd", "adamw"};
        StringBuilder b = new StringBuilder(2048).append("{\"run_id\":\"").append(runId).append("\",\"params\":[");
        appendKeyValues(b, List.of(new String[] {"lr", lr[i % lr.length]}, new String[] {"batch_size", Integer.toString(32 << (i % 4))},
                new String[] {"optimizer", optimizer[i % optimizer.length]}, new String[] {"seed", Integer.toString(i)},
                new String[] {"model", "resnet" + (18 + (i % 3) * 16)}));
        b.append("],\"metrics\":[");
        String[] names = {"accuracy", "loss", "f1", "precision", "recall"};
        boolean first = true;
        for (int step = 0; step < 3; step++) {
            for (String name : names) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                double v = name.equals("loss") ? random.nextDouble() * 2 : random.nextDouble();
                b.append("{\"key\":\"").append(name).append("\",\"value\":").append(num(v)).append(",\"timestamp\":")
                        .append(T0 + i * 1000L + step).append(",\"step\":").append(step).append('}');
            }
        }
        b.append("],\"tags\":[");
        appendKeyValues(b, List.of(new String[] {"stage", i % 5 == 0 ? "prod" : "dev"}, new String[] {"mlflow.source.type", "LOCAL"}));
        return b.append("]}").toString();
    }

    static byte[] searchBody(String experimentId, String filter, String orderBy, int maxResults) {
        return ("{\"experiment_ids\":[" + q(experimentId) + "],\"filter\":" + q(filter) + ",\"order_by\":[" + q(orderBy)
                + "],\"max_results\":" + maxResults + ",\"run_view_type\":\"ACTIVE_ONLY\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static void appendKeyValues(StringBuilder b, List<String[]> kvs) {
        for (int i = 0; i < kvs.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"key\":").append(q(kvs.get(i)[0])).append(",\"value\":").append(q(kvs.get(i)[1])).append('}');
        }
    }

    static String q(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String num(double v) {
        return Double.toString(v);
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
