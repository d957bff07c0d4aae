package io.mlopscore.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Artifact proxy throughput on loopback: one large file (1 GiB by default) uploaded through
 * {@code PUT /api/2.0/mlflow-artifacts/artifacts/...} and downloaded back, against a server run as
 * users run it ({@code java -Xmx256m -jar mlops-core.jar tracking}, a separate JVM, local
 * destination), next to the same bytes copied and read with plain file I/O in the same run as the
 * baseline. It checks the SHA-256 both ways and reports the server's heap growth while the bytes
 * moved (sampled from its /metrics, and its GC log's peaks): streaming keeps it to a few MB.
 * The client side is a bare socket (the upload is sent with transferTo, the download digested as
 * it arrives), so the numbers are the server's rather than an HTTP library's.
 *
 * <pre>
 * mvn -q -o install -DskipTests
 * java -cp bench/target/tracking-bench.jar io.mlopscore.bench.ArtifactBench [-size-mb 1024] [-jar app/target/mlops-core.jar] [-xmx 256m]
 * </pre>
 *
 * Targets: at least 300 MB/s each way, heap growth under 64 MB.
 */
public final class ArtifactBench {
    private static final int BUFFER = 1 << 20;
    private static final String FILES = "/api/2.0/mlflow-artifacts/artifacts";

    private ArtifactBench() {}

    /** One measured transfer. */
    record Row(String operation, long bytes, double seconds, double heapGrowthMb) {
        double mbPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        long sizeMb = 1024;
        Path jar = Path.of("app/target/mlops-core.jar");
        String xmx = "256m";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-size-mb" -> sizeMb = Long.parseLong(args[++i]);
                case "-jar" -> jar = Path.of(args[++i]);
                case "-xmx" -> xmx = args[++i];
                case "-help", "--help" -> {
                    System.out.println("ArtifactBench [-size-mb 1024] [-jar app/target/mlops-core.jar] [-xmx 256m]");
                    return;
                }
                default -> throw new IllegalArgumentException("Unknown option " + args[i]);
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No server jar at " + jar.toAbsolutePath() + ": build it first (mvn -q -o install -DskipTests).");
        }
        long size = sizeMb * 1024 * 1024;
        Path work = Files.createTempDirectory("artifact-bench");
        try {
            run(work, jar, xmx, size);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path work, Path jar, String xmx, long size) throws Exception {
        Path source = work.resolve("source.bin");
        System.out.printf(Locale.ROOT, "Writing a %d MiB source file...%n", size >> 20);
        String sourceSha = writeSource(source, size);
        List<Row> rows = new ArrayList<>();

        // The baseline: the same bytes with plain file I/O in this process. Through the page cache
        // (write, fsync, rename; then a read that the cache serves), and with O_DIRECT as the
        // server's local store writes (then a read that must come from the disk, as a download of
        // a freshly uploaded artifact does).
        Path copy = work.resolve("baseline/copy.bin");
        Files.createDirectories(copy.getParent());
        long t0 = System.nanoTime();
        copyWithFsync(source, copy, false);
        rows.add(new Row("plain file copy, page cache (write + fsync + rename)", size, seconds(t0), Double.NaN));
        t0 = System.nanoTime();
        String copySha = readAndDigest(Files.newInputStream(copy));
        rows.add(new Row("plain file read, from the page cache (+ SHA-256)", size, seconds(t0), Double.NaN));
        check(copySha.equals(sourceSha), "the baseline copy differs from the source");
        Files.delete(copy);
        t0 = System.nanoTime();
        copyWithFsync(source, copy, true);
        rows.add(new Row("plain file copy, O_DIRECT (write + fsync + rename)", size, seconds(t0), Double.NaN));
        t0 = System.nanoTime();
        copySha = readAndDigest(Files.newInputStream(copy));
        rows.add(new Row("plain file read, from the disk (+ SHA-256)", size, seconds(t0), Double.NaN));
        check(copySha.equals(sourceSha), "the direct baseline copy differs from the source");
        Files.delete(copy);

        try (Server server = Server.start(jar, xmx, work)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // Warm up the path (class loading, JIT) with a small file, then take the resting heap.
            byte[] small = new byte[8 * 1024 * 1024];
            for (int i = 0; i < 3; i++) {
                send(http, HttpRequest.newBuilder(server.uri(FILES + "/warmup/w.bin")).PUT(HttpRequest.BodyPublishers.ofByteArray(small)), true);
                drain(http, server.uri(FILES + "/warmup/w.bin"));
            }
            double restingHeap = server.heapUsedMb();

            HeapSampler upSampler = new HeapSampler(server);
            t0 = System.nanoTime();
            RawResponse put = RawHttp.upload(server.port, FILES + "/bench/model.bin", source);
            double upSeconds = seconds(t0);
            double upPeak = upSampler.stop();
            check(put.status() == 200, "upload answered " + put.status() + ": " + put.body());
            check(sourceSha.equals(put.header("x-artifact-sha256")), "the server's checksum differs from the source's");
            rows.add(new Row("proxy upload (PUT, streamed, fsync)", size, upSeconds, upPeak - restingHeap));

            HeapSampler downSampler = new HeapSampler(server);
            t0 = System.nanoTime();
            RawResponse get = RawHttp.downloadAndDigest(server.port, FILES + "/bench/model.bin");
            double downSeconds = seconds(t0);
            double downPeak = downSampler.stop();
            check(get.status() == 200, "download answered " + get.status());
            check(get.bodySize() == size, "the download has " + get.bodySize() + " bytes, not " + size);
            check(sourceSha.equals(get.body()), "the downloaded bytes differ from the source");
            rows.add(new Row("proxy download (GET, + SHA-256)", size, downSeconds, downPeak - restingHeap));

            print(rows, size, xmx, restingHeap, server.gcPeakHeapMb());
        }
    }

    private static void print(List<Row> rows, long size, String xmx, double restingHeap, double gcPeak) {
        System.out.println();
        System.out.printf(Locale.ROOT, "ArtifactBench: %d MiB through the artifact proxy on loopback; server: separate JVM, -Xmx%s, local destination%n",
                size >> 20, xmx);
        System.out.println();
        System.out.println("| operation | seconds | MB/s | server heap growth (MB) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f | %s |%n", r.operation(), r.seconds(), r.mbPerSecond(),
                    Double.isNaN(r.heapGrowthMb()) ? "-" : String.format(Locale.ROOT, "%.1f", r.heapGrowthMb()));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "Server heap at rest %.1f MB; peak before any GC over the whole run %.1f MB (GC log). Targets: >= 300 MB/s each way, growth < 64 MB.%n",
                restingHeap, gcPeak);
        Row up = rows.get(rows.size() - 2);
        Row down = rows.get(rows.size() - 1);
        boolean ok = up.mbPerSecond() >= 300 && down.mbPerSecond() >= 300 && up.heapGrowthMb() < 64 && down.heapGrowthMb() < 64;
        System.out.println(ok ? "Targets met." : "TARGETS MISSED.");
    }

    /** Writes pseudo-random bytes (so nothing compresses or dedupes them) and returns their SHA-256. */
    private static String writeSource(Path file, long size) throws IOException {
        MessageDigest md = sha256();
        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; ) {
                buf.clear();
                int n = (int) Math.min(BUFFER, size - written);
                for (int i = 0; i + 8 <= n; i += 8) {
                    buf.putLong(random.nextLong());
                }
                while (buf.position() < n) {
                    buf.put((byte) random.nextInt());
                }
                buf.flip();
                md.update(buf.array(), 0, n);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                written += n;
            }
            out.force(true);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Copies with a digest (as the server does), fsyncs and renames; {@code direct}: O_DIRECT, aligned 1 MiB blocks. */
    private static void copyWithFsync(Path from, Path to, boolean direct) throws IOException {
        Path temp = to.resolveSibling(to.getFileName() + ".tmp");
        int chunk = 1 << 20;
        int align = direct ? (int) Files.getFileStore(to.getParent()).getBlockSize() : 1;
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(chunk + align).alignedSlice(align) : ByteBuffer.allocate(chunk);
        MessageDigest md = sha256();
        byte[] heap = new byte[chunk];
        var options = direct ? new java.nio.file.OpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT}
                : new java.nio.file.OpenOption[] {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE};
        long size = 0;
        try (InputStream in = Files.newInputStream(from); FileChannel out = FileChannel.open(temp, options)) {
            int n;
            while ((n = in.readNBytes(heap, 0, chunk)) > 0) {
                md.update(heap, 0, n);
                size += n;
                buf.clear();
                buf.put(heap, 0, n);
                while (buf.position() % align != 0) {
                    buf.put((byte) 0);
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
            out.truncate(size);
            out.force(true);
        }
        Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String readAndDigest(InputStream stream) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[BUFFER];
        try (InputStream in = stream) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void drain(HttpClient http, URI uri) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static void send(HttpClient http, HttpRequest.Builder b, boolean requireOk) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        check(!requireOk || r.statusCode() == 200, "warm-up answered " + r.statusCode() + ": " + r.body());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("ArtifactBench: " + what);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A response read by {@link RawHttp}: for a download, {@code body} is the SHA-256 of the body. */
    record RawResponse(int status, java.util.Map<String, String> headers, String body, long bodySize) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    /**
     * The leanest HTTP/1.1 client for one big body each way, so the numbers are the server's: the
     * upload goes from the file to the socket with transferTo (no copy in this process), the
     * download is digested as it arrives.
     */
    static final class RawHttp {
        private RawHttp() {}

        static RawResponse upload(int port, String path, Path file) throws IOException {
            try (java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", port));
                 FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                writeHead(socket, "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: " + size + "\r\nConnection: close\r\n\r\n");
                for (long sent = 0; sent < size; ) {
                    sent += in.transferTo(sent, size - sent, socket);
                }
                return read(socket, false);
            }
        }

        static RawResponse downloadAndDigest(int port, String path) throws IOException {
            try (java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(new java.net.InetSocketAddress("127.0.0.1", port))) {
                writeHead(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
                return read(socket, true);
            }
        }

        private static void writeHead(java.nio.channels.SocketChannel socket, String head) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) {
                socket.write(b);
            }
        }

        /** Reads the head, then the body (a Content-Length body; the error bodies here are small). */
        private static RawResponse read(java.nio.channels.SocketChannel socket, boolean digest) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(BUFFER);
            int headEnd;
            while ((headEnd = headEnd(buf)) < 0) {
                if (socket.read(buf) < 0) {
                    throw new IOException("The connection closed before the response head");
                }
            }
            String[] lines = new String(buf.array(), 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            MessageDigest md = sha256();
            java.io.ByteArrayOutputStream small = new java.io.ByteArrayOutputStream();
            long total = 0;
            int bodyStart = headEnd + 4;
            buf.flip().position(bodyStart);
            while (true) {
                int n = buf.remaining();
                if (digest) {
                    md.update(buf);
                } else {
                    small.write(buf.array(), buf.position(), n);
                    buf.position(buf.limit());
                }
                total += n;
                buf.clear();
                if (socket.read(buf) < 0) {
                    break;
                }
                buf.flip();
            }
            String body = digest ? HexFormat.of().formatHex(md.digest()) : small.toString(StandardCharsets.UTF_8);
            return new RawResponse(status, headers, body, total);
        }

        private static int headEnd(ByteBuffer buf) {
            byte[] a = buf.array();
            for (int i = 0; i + 3 < buf.position(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Samples the server's used heap every 100 ms while a transfer runs; {@link #stop()} gives the peak. */
    private static final class HeapSampler {
        private final AtomicLong peakBits = new AtomicLong(Double.doubleToLongBits(0));
        private final Thread thread;
        private volatile boolean running = true;

        HeapSampler(Server server) {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        double used = server.heapUsedMb();
                        peakBits.accumulateAndGet(Double.doubleToLongBits(used),
                                (a, b) -> Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b);
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a missed sample
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        double stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(2000);
            return Double.longBitsToDouble(peakBits.get());
        }
    }

    /** The server under test: {@code java -Xmx... -jar mlops-core.jar tracking} on a free loopback port. */
    private static final class Server implements AutoCloseable {
        private static final Pattern GC_PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
        private final Process process;
        final int port;
        private final Path gcLog;
        private final Path log;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Server(Process process, int port, Path gcLog, Path log) {
            this.process = process;
            this.port = port;
            this.gcLog = gcLog;
            this.log = log;
        }

        static Server start(Path jar, String xmx, Path work) throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            // A private copy: a rebuild of app/target while the bench runs must not pull the jar from under it.
            Path copy = work.resolve("mlops-core.jar");
            Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
            Path gcLog = work.resolve("server-gc.log");
            Path log = work.resolve("server.log");
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx, "-Xlog:gc:file=" + gcLog,
                    "-jar", copy.toString(), "tracking", "--host", "127.0.0.1", "--port", Integer.toString(port),
                    "--backend-store-uri", "sqlite:///" + work.resolve("mlflow.db"), "--artifacts-destination", work.resolve("mlartifacts").toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MLOPSCORE_LOG_LEVEL", "WARN");
            Server server = new Server(pb.start(), port, gcLog, log);
            server.awaitHealthy();
            return server;
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        private void awaitHealthy() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The server exited with " + process.exitValue() + ":\n" + Files.readString(log));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(uri("/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(100);
                }
            }
            close();
            throw new IllegalStateException("The server did not answer /health within 60 s");
        }

        /** jvm_memory_used_bytes{area="heap"} from /metrics, in MB. */
        double heapUsedMb() throws Exception {
            String text = http.send(HttpRequest.newBuilder(uri("/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
            double sum = 0;
            for (String line : text.split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    String[] parts = line.trim().split(" ");
                    sum += Double.parseDouble(parts[parts.length - 1]);
                }
            }
            return sum / 1e6;
        }

        /** The largest heap occupancy before a collection, from the GC log. */
        double gcPeakHeapMb() {
            double peak = 0;
            try {
                for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                    Matcher m = GC_PAUSE.matcher(line);
                    if (m.find()) {
                        double v = Long.parseLong(m.group(1));
                        peak = Math.max(peak, switch (m.group(2)) {
                            case "K" -> v / 1024;
                            case "G" -> v * 1024;
                            default -> v;
                        } * 1.048576);
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return peak;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
