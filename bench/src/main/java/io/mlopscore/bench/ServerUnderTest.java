package io.mlopscore.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tracking server as users run it: {@code java -Xmx256m -jar mlops-core.jar tracking ...}, a
 * separate JVM (so the load generator never shares its heap or its GC), on 127.0.0.1 and a free
 * port, with a GC log so the peak heap can be read back afterwards.
 */
final class ServerUnderTest implements AutoCloseable {
    /** What the server process used: read from /proc, its /metrics and its GC log. */
    record Memory(long vmHwmKb, long vmRssKb, double heapUsedMb, double heapCommittedMb, double nonHeapUsedMb,
                  double peakHeapBeforeGcMb, int gcPauses, double gcPauseTotalMs, double gcPauseMaxMs,
                  double cpuSeconds, int threads) {}

    private final Process process;
    private final int port;
    private final Path log;
    private final Path gcLog;

    private ServerUnderTest(Process process, int port, Path log, Path gcLog) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.gcLog = gcLog;
    }

    static ServerUnderTest start(Path jar, List<String> jvmOptions, String backendUri, Path workDir, String clientKind) throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No server jar at " + jar + ": build it first (cd /work/main && mvn -q -B -DskipTests package).");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        // Run a private copy: others may rebuild app/target while the bench runs, and a jar replaced
        // under a running JVM breaks its class loading.
        Path copy = workDir.resolve("mlops-core.jar");
        Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path log = workDir.resolve("server.log");
        Path gcLog = workDir.resolve("server-gc.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Xlog:gc:file=" + gcLog);
        cmd.addAll(List.of("-jar", copy.toString(), "tracking", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--backend-store-uri", backendUri));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MLOPSCORE_LOG_LEVEL", "WARN");
        Process p = pb.start();
        ServerUnderTest server = new ServerUnderTest(p, port, log, gcLog);
        server.awaitHealthy(clientKind);
        return server;
    }

    private void awaitHealthy(String clientKind) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try (LoadClient c = LoadClient.create(clientKind, "127.0.0.1", port)) {
                if (c.send("/health", null).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        close();
        throw new IllegalStateException("The server did not answer /health within 60 s (" + last + "):\n" + logTail());
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Call while the server still runs: /proc for RSS, /metrics for the heap, the GC log for the peak. */
    Memory memory() {
        long hwm = -1;
        long rss = -1;
        int threads = -1;
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (l.startsWith("VmHWM:")) {
                    hwm = kb(l);
                } else if (l.startsWith("VmRSS:")) {
                    rss = kb(l);
                } else if (l.startsWith("Threads:")) {
                    threads = Integer.parseInt(l.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: leave -1
        }
        double heapUsed = -1;
        double heapCommitted = -1;
        double nonHeap = -1;
        double cpu = -1;
        try (LoadClient c = LoadClient.create("raw", "127.0.0.1", port)) {
            String text = c.send("/metrics", null).text();
            heapUsed = mb(metric(text, "jvm_memory_used_bytes{area=\"heap\"}"));
            heapCommitted = mb(metric(text, "jvm_memory_committed_bytes{area=\"heap\"}"));
            nonHeap = mb(metric(text, "jvm_memory_used_bytes{area=\"nonheap\"}"));
            cpu = metric(text, "process_cpu_seconds_total");
        } catch (Exception e) {
            // metrics unavailable: leave -1
        }
        double peak = -1;
        int pauses = 0;
        double total = 0;
        double maxPause = 0;
        try {
            // G1/Serial/Parallel unified logging: "GC(3) Pause Young (Normal) (G1 Evacuation Pause) 120M->20M(256M) 3.456ms"
            Pattern pause = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms");
            for (String l : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = pause.matcher(l);
                if (m.find()) {
                    peak = Math.max(peak, toMb(Long.parseLong(m.group(1)), m.group(2)));
                    double ms = Double.parseDouble(m.group(7));
                    pauses++;
                    total += ms;
                    maxPause = Math.max(maxPause, ms);
                }
            }
        } catch (IOException e) {
            // no GC log
        }
        peak = Math.max(peak, heapUsed);
        return new Memory(hwm, rss, heapUsed, heapCommitted, nonHeap, peak, pauses, total, maxPause, cpu, threads);
    }

    private static long kb(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    private static double mb(double bytes) {
        return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
    }

    private static double toMb(long v, String unit) {
        return switch (unit) {
            case "K" -> v / 1024.0;
            case "G" -> v * 1024.0;
            default -> v;
        };
    }

    /** Sum of the samples whose name and labels start with the given text (Prometheus text format). */
    static double metric(String text, String nameAndLabels) {
        String prefix = nameAndLabels.endsWith("}") ? nameAndLabels.substring(0, nameAndLabels.length() - 1) : nameAndLabels;
        double sum = 0;
        boolean found = false;
        for (String l : text.split("\n")) {
            if (l.startsWith("#") || !l.startsWith(prefix)) {
                continue;
            }
            String rest = l.substring(prefix.length());
            if (!(rest.startsWith(" ") || rest.startsWith("}") || rest.startsWith(",") || rest.startsWith("{"))) {
                continue;
            }
            String[] parts = l.trim().split(" ");
            sum += Double.parseDouble(parts[parts.length - 1]);
            found = true;
        }
        return found ? sum : -1;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: the server's shutdown hook closes the store cleanly
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
