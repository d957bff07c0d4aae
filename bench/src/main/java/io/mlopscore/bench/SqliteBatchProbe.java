package io.mlopscore.bench;

import io.mlopscore.tracking.store.BackendUri;
import io.mlopscore.tracking.store.Database;
import io.mlopscore.tracking.store.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * Where a 1000-metric log-batch's time goes on SQLite, step by step, on a fresh file with MLflow's
 * schema (made by the server's own Schema): the metrics insert, the latest_metrics upsert and the
 * durable commit, plain or inside a SAVEPOINT (as the server's group-commit writer runs each
 * caller), with temp_store as default (file) or MEMORY. Not a benchmark of the server: a probe
 * behind docs/benchmarks.md ("Where we fall short").
 *
 * <pre>
 * java -cp bench/target/tracking-bench.jar io.mlopscore.bench.SqliteBatchProbe [keys=100] [batches=300]
 * </pre>
 */
public final class SqliteBatchProbe {
    private SqliteBatchProbe() {}

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        for (String mode : new String[] {"plain", "savepoint", "savepoint+temp_store=MEMORY"}) {
            probe(mode, keys, batches);
        }
    }

    private static void probe(String mode, int keys, int batches) throws Exception {
        Path dir = Files.createTempDirectory("sqlite-probe-");
        Path file = dir.resolve("probe.db");
        try {
            try (Database db = Database.open(BackendUri.parse("sqlite:///" + file))) {
                Schema.ensure(db, "./mlruns");
            }
            Properties p = new Properties();
            p.setProperty("synchronous", "FULL");
            p.setProperty("foreign_keys", "true");
            p.setProperty("journal_mode", "WAL");
            if (mode.contains("MEMORY")) {
                p.setProperty("temp_store", "MEMORY");
            }
            boolean savepoint = mode.startsWith("savepoint");
            String[] names = new String[keys];
            for (int k = 0; k < keys; k++) {
                names[k] = String.format(Locale.ROOT, "metric_%03d", k);
            }
            int steps = Math.max(1, 1000 / keys);
            long[] insert = new long[batches];
            long[] upsert = new long[batches];
            long[] commit = new long[batches];
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, p); Statement s = c.createStatement();
                 PreparedStatement ins = c.prepareStatement(StoreFloor.INSERT_METRIC);
                 PreparedStatement up = c.prepareStatement(StoreFloor.UPSERT_LATEST)) {
                s.execute("INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, "
                        + "lifecycle_stage, artifact_uri, experiment_id) VALUES ('probe', 'probe', 'UNKNOWN', '', '', 'u', 'RUNNING', 0, 'active', 'x', 0)");
                Random random = new Random(1);
                for (int b = 0; b < batches; b++) {
                    s.execute("BEGIN IMMEDIATE");
                    if (savepoint) {
                        s.execute("SAVEPOINT caller");
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 1000; i++) {
                        long step = (long) b * steps + i / keys;
                        bind(ins, names[i % keys], random.nextDouble(), 1000 + step, step);
                        ins.addBatch();
                    }
                    ins.executeBatch();
                    long t1 = System.nanoTime();
                    for (int k = 0; k < keys; k++) {
                        long step = (long) b * steps + steps - 1;
                        bind(up, names[k], random.nextDouble(), 1000 + step, step);
                        up.addBatch();
                    }
                    up.executeBatch();
                    long t2 = System.nanoTime();
                    if (savepoint) {
                        s.execute("RELEASE caller");
                    }
                    s.execute("COMMIT");
                    long t3 = System.nanoTime();
                    insert[b] = t1 - t0;
                    upsert[b] = t2 - t1;
                    commit[b] = t3 - t2;
                }
            }
            System.out.printf(Locale.ROOT, "%-30s keys=%4d  insert %6.2f  upsert %5.2f  commit %5.2f ms (p50 of %d batches)%n",
                    mode, keys, p50(insert), p50(upsert), p50(commit), batches);
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void bind(PreparedStatement p, String key, double value, long timestamp, long step) throws java.sql.SQLException {
        p.setString(1, key);
        p.setDouble(2, value);
        p.setLong(3, timestamp);
        p.setLong(4, step);
        p.setBoolean(5, false);
        p.setString(6, "probe");
    }

    private static double p50(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return Result.percentile(sorted, 50) / 1e6;
    }
}
