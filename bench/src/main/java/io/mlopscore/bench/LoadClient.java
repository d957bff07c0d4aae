package io.mlopscore.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to the server under test, on loopback only.
 *
 * <p>{@link Raw} writes requests on a plain socket and parses the answer (Content-Length or
 * chunked): a few microseconds of client work per request, so the numbers are mostly the
 * server's. {@link Jdk} is {@code java.net.http.HttpClient}, for a cross-check with a stock client
 * (it costs noticeably more CPU per request, which on two cores the server feels).
 */
interface LoadClient extends AutoCloseable {
    /** A response: status code and body bytes. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** GET when body is null, else POST with a JSON body. */
    Response send(String path, byte[] body) throws IOException, InterruptedException;

    @Override
    void close();

    static LoadClient create(String kind, String host, int port) {
        requireLoopback(host);
        return switch (kind) {
            case "raw" -> new Raw(host, port);
            case "jdk" -> new Jdk(host, port);
            default -> throw new IllegalArgumentException("unknown client '" + kind + "': raw or jdk");
        };
    }

    static void requireLoopback(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException("the bench only talks to loopback, not " + host);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + host + ": " + e.getMessage(), e);
        }
    }

    /** A raw-socket keep-alive client: one connection, one request at a time. */
    final class Raw implements LoadClient {
        private final String host;
        private final int port;
        private final String hostHeader;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final StringBuilder line = new StringBuilder(128);

        Raw(String host, int port) {
            this.host = host;
            this.port = port;
            this.hostHeader = host + ":" + port;
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(120_000);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        @Override
        public Response send(String path, byte[] body) throws IOException {
            if (socket == null) {
                connect();
            }
            StringBuilder head = new StringBuilder(160);
            head.append(body == null ? "GET " : "POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readResponse();
        }

        private Response readResponse() throws IOException {
            String status = readLine();
            if (status == null) {
                close();
                throw new EOFException("the server closed the connection");
            }
            // "HTTP/1.1 200 OK"
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = false;
            String h;
            while ((h = readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            byte[] body;
            if (chunked) {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(8192);
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        throw new EOFException("truncated chunked body");
                    }
                    int semi = size.indexOf(';');
                    int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    if (n == 0) {
                        while ((h = readLine()) != null && !h.isEmpty()) {
                            // trailers: none expected
                        }
                        break;
                    }
                    all.write(readFully(n));
                    readLine(); // CRLF after the chunk
                }
                body = all.toByteArray();
            } else if (length >= 0) {
                body = readFully((int) length);
            } else if (code == 204 || code == 304) {
                body = new byte[0];
            } else {
                body = in.readAllBytes();
                closeAfter = true;
            }
            if (closeAfter) {
                close();
            }
            return new Response(code, body);
        }

        private byte[] readFully(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException("body cut short: " + b.length + " of " + n + " bytes");
            }
            return b;
        }

        /** A CRLF-terminated header line, or null at end of stream. */
        private String readLine() throws IOException {
            line.setLength(0);
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
            return line.length() == 0 ? null : line.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing: nothing to do
                }
                socket = null;
            }
        }
    }

    /** java.net.http.HttpClient, HTTP/1.1, one client per worker (so one connection each). */
    final class Jdk implements LoadClient {
        private final String base;
        private final HttpClient client;

        Jdk(String host, int port) {
            this.base = "http://" + host + ":" + port;
            this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        }

        @Override
        public Response send(String path, byte[] body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120));
            if (body == null) {
                b.GET();
            } else {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            }
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body());
        }

        @Override
        public void close() {
            // HttpClient in Java 17 has no close(); its idle connections time out on their own.
        }
    }
}
