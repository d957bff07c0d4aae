package io.mlopscore.tracking.store;

import io.mlopscore.tracking.model.Metric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric values (append-only history) and each run's latest value per key.
 *
 * <p>Storage follows MLflow's SQL store so both read the same rows: NaN is stored as value 0 with
 * {@code is_nan} set, and ±Infinity as ±{@link Double#MAX_VALUE} (the columns are plain floats).
 * The latest value per key is the one with the highest step, then timestamp, then value.
 */
public final class MetricStore {
    /** A metric history row as get-history-bulk-interval returns it. */
    public record MetricWithRunId(String runId, Metric metric) {}

    /** latest_metrics moves only to a value with a higher (step, timestamp, value), as in MLflow. */
    private static final String LATEST_UPSERT = "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, "
            + "step = excluded.step, is_nan = excluded.is_nan "
            + "WHERE excluded.step > latest_metrics.step "
            + "OR (excluded.step = latest_metrics.step AND (latest_metrics.timestamp IS NULL OR excluded.timestamp > latest_metrics.timestamp "
            + "OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value >= latest_metrics.value)))";

    private final Database db;

    public MetricStore(Database db) {
        this.db = db;
    }

    /** Appends metrics (an identical row again is a no-op) and moves latest_metrics forward. */
    void insert(Connection c, String runId, List<Metric> metrics) throws SQLException {
        if (metrics.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (Metric m : metrics) {
                bindMetric(p, runId, m);
                p.addBatch();
            }
            p.executeBatch();
        }
        // Only the newest value of each key in the batch can move latest_metrics.
        Map<String, Metric> newest = new LinkedHashMap<>();
        for (Metric m : metrics) {
            newest.merge(m.key(), m, (a, b) -> isNewer(b, a) ? b : a);
        }
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) " + LATEST_UPSERT)) {
            for (Metric m : newest.values()) {
                bindMetric(p, runId, m);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /**
     * One metric as one PostgreSQL statement: the run check, the history row and the latest-value
     * upsert together, so a log-metric costs a single round trip and no explicit transaction.
     * Returns false, writing nothing, when the run is missing or not active.
     */
    boolean insertOneIfRunActive(Connection c, String runId, Metric m) throws SQLException {
        String sql = "WITH run AS (SELECT run_uuid FROM runs WHERE run_uuid = ? AND lifecycle_stage = 'active'), "
                + "history AS (INSERT INTO metrics (key, value, timestamp, step, is_nan, run_uuid) "
                + "SELECT ?, ?, ?, ?, ?, run_uuid FROM run ON CONFLICT DO NOTHING), "
                + "latest AS (INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) "
                + "SELECT ?, ?, ?, ?, ?, run_uuid FROM run " + LATEST_UPSERT + ") "
                + "SELECT COUNT(*) FROM run";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, runId);
            for (int base : new int[] {2, 7}) {
                p.setString(base, m.key());
                p.setDouble(base + 1, storedValue(m.value()));
                p.setLong(base + 2, m.timestamp());
                p.setLong(base + 3, m.step());
                p.setBoolean(base + 4, Double.isNaN(m.value()));
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    private static boolean isNewer(Metric a, Metric b) {
        if (a.step() != b.step()) {
            return a.step() > b.step();
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp();
        }
        return storedValue(a.value()) >= storedValue(b.value());
    }

    private static void bindMetric(PreparedStatement p, String runId, Metric m) throws SQLException {
        p.setString(1, m.key());
        p.setDouble(2, storedValue(m.value()));
        p.setLong(3, m.timestamp());
        p.setLong(4, m.step());
        p.setBoolean(5, Double.isNaN(m.value()));
        p.setString(6, runId);
    }

    static double storedValue(double value) {
        if (Double.isNaN(value)) {
            return 0.0;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? Double.MAX_VALUE : -Double.MAX_VALUE;
        }
        return value;
    }

    private static Metric metric(ResultSet rs) throws SQLException {
        double value = rs.getBoolean("is_nan") ? Double.NaN : rs.getDouble("value");
        return new Metric(rs.getString("key"), value, rs.getLong("timestamp"), rs.getLong("step"));
    }

    Map<String, List<Metric>> latestFor(Connection c, List<String> runIds) throws SQLException {
        Map<String, List<Metric>> out = new HashMap<>();
        for (Object[] row : Sql.query(c, "SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics WHERE run_uuid IN ("
                + Sql.placeholders(runIds.size()) + ")", rs -> new Object[] {rs.getString(1), metric(rs)}, Sql.args(runIds))) {
            out.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((Metric) row[1]);
        }
        return out;
    }

    /** One page of a metric's history, in (timestamp, step, value) order, from row {@code offset}. */
    public List<Metric> history(String runId, String key, int offset, int limit) {
        return db.read(c -> Sql.query(c, "SELECT key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ? "
                + "ORDER BY timestamp, step, value LIMIT ? OFFSET ?", MetricStore::metric, runId, key, limit, offset));
    }

    /**
     * The history of one metric for several runs at sampled steps, as MLflow's bulk-interval endpoint
     * samples them: up to {@code maxResults} steps spread evenly over the steps present in the range
     * (by default 0 to the highest step), plus the last step and each run's first and last step in
     * range, so every run's line keeps its ends. Rows come run by run in the order asked, each run's
     * by step, timestamp, value.
     */
    public List<MetricWithRunId> historyAtSampledSteps(List<String> runIds, String key, Long startStep, Long endStep, int maxResults) {
        return db.read(c -> {
            String in = Sql.placeholders(runIds.size());
            List<Object> args = new ArrayList<>(runIds);
            args.add(key);
            record Span(String runId, long min, long max) {}
            List<Span> spans = Sql.query(c, "SELECT run_uuid, MIN(step), MAX(step) FROM metrics WHERE run_uuid IN (" + in + ") AND key = ? "
                    + (startStep != null ? "AND step BETWEEN ? AND ? " : "AND step >= 0 ") + "GROUP BY run_uuid",
                    rs -> new Span(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                    startStep != null ? concat(args, startStep, endStep) : args.toArray());
            if (spans.isEmpty()) {
                return List.of();
            }
            long start = startStep != null ? startStep : 0;
            long end = endStep != null ? endStep : spans.stream().mapToLong(Span::max).max().orElse(0);
            List<Long> steps = Sql.query(c, "SELECT DISTINCT step FROM metrics WHERE run_uuid IN (" + in + ") AND key = ? AND step BETWEEN ? AND ? ORDER BY step",
                    rs -> rs.getLong(1), concat(args, start, end));
            java.util.TreeSet<Long> chosen = new java.util.TreeSet<>(sampleSteps(steps, maxResults));
            for (Span s : spans) {
                chosen.add(s.min());
                chosen.add(s.max());
            }
            List<Object> stepArgs = new ArrayList<>(args);
            stepArgs.addAll(chosen);
            List<MetricWithRunId> rows = Sql.query(c, "SELECT run_uuid, key, value, timestamp, step, is_nan FROM metrics WHERE run_uuid IN (" + in
                    + ") AND key = ? AND step IN (" + Sql.placeholders(chosen.size()) + ") ORDER BY step, timestamp, value",
                    rs -> new MetricWithRunId(rs.getString("run_uuid"), metric(rs)), stepArgs.toArray());
            List<MetricWithRunId> ordered = new ArrayList<>(rows.size());
            for (String runId : runIds) {
                for (MetricWithRunId r : rows) {
                    if (r.runId().equals(runId)) {
                        ordered.add(r);
                    }
                }
            }
            return ordered;
        });
    }

    private static Object[] concat(List<Object> args, Object... more) {
        List<Object> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray();
    }

    /** MLflow's sampling: every count/max-th step from the first, plus the last one. */
    static List<Long> sampleSteps(List<Long> steps, int maxResults) {
        if (steps.size() <= maxResults) {
            return steps;
        }
        List<Long> out = new ArrayList<>(maxResults + 1);
        double interval = steps.size() / (double) maxResults;
        for (int i = 0; i < maxResults; i++) {
            int index = (int) (i * interval);
            if (index < steps.size()) {
                out.add(steps.get(index));
            }
        }
        out.add(steps.get(steps.size() - 1));
        return out;
    }
}
