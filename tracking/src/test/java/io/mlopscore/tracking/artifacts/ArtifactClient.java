package io.mlopscore.tracking.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.common.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * HTTP for the artifact tests: java.net.http for well-formed requests (streaming bodies both ways),
 * and a raw socket for attack requests, whose request line must reach the server byte for byte
 * (no client-side normalising of dot segments or escaping).
 */
final class ArtifactClient {
    /** A response with its headers (names in lowercase) and body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + text(), e);
            }
        }

        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String errorCode() {
            return json().path("error_code").asText(null);
        }

        String message() {
            return json().path("message").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + (body.length < 500 ? text() : body.length + " bytes");
        }
    }

    /** A streamed download: only its size and checksum are kept. */
    record Download(int status, Map<String, List<String>> headers, long size, String sha256) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final URI baseUri;

    ArtifactClient(String base) {
        this.base = base;
        this.baseUri = URI.create(base);
    }

    Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Response put(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /**
     * A PUT that announces {@code length} bytes with {@code Expect: 100-continue} and sends none
     * unless the server invites them (raw socket: the JDK 17 client hangs on a non-100 answer).
     * A refusal of the declared length comes back before any body is sent.
     */
    Response putExpectingContinue(String path, long length) {
        try (Socket s = new Socket(baseUri.getHost(), baseUri.getPort())) {
            s.setSoTimeout(30_000);
            String head = "PUT " + path + " HTTP/1.1\r\nHost: " + baseUri.getHost() + ":" + baseUri.getPort() + "\r\nContent-Length: " + length
                    + "\r\nContent-Type: application/octet-stream\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.shutdownOutput();
            return parse(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response put(String path, String body) {
        return put(path, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A streamed PUT; {@code length} &lt; 0 sends it chunked. */
    Response put(String path, Supplier<InputStream> body, long length) {
        HttpRequest.BodyPublisher publisher = length < 0 ? HttpRequest.BodyPublishers.ofInputStream(body)
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/octet-stream").PUT(publisher));
    }

    Response postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response putTo(URI absolute, byte[] body) {
        return send(HttpRequest.newBuilder(absolute).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** A GET whose body is digested as it arrives, never held. */
    Download download(String pathAndQuery) {
        try {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long size = 0;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[256 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    md.update(buf, 0, n);
                    size += n;
                }
            }
            return new Download(r.statusCode(), lower(r.headers().map()), size, HexFormat.of().formatHex(md.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request written to the socket as given: {@code target} goes into the request line
     * untouched, so {@code ..}, backslashes and double escapes reach the server as an attacker sends them.
     */
    Response raw(String method, String target, byte[] body, String contentType) {
        try (Socket s = new Socket(baseUri.getHost(), baseUri.getPort())) {
            s.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(baseUri.getHost()).append(':').append(baseUri.getPort()).append("\r\n");
            head.append("Connection: close\r\n");
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
                if (contentType != null) {
                    head.append("Content-Type: ").append(contentType).append("\r\n");
                }
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response raw(String method, String target) {
        return raw(method, target, "PUT".equals(method) || "POST".equals(method) ? new byte[0] : null, null);
    }

    private static Response parse(byte[] all) {
        int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (split < 0) {
            throw new AssertionError("No HTTP response: " + new String(all, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(all, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        byte[] rest = java.util.Arrays.copyOfRange(all, split + 4, all.length);
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.get(0).equalsIgnoreCase("chunked")) {
            rest = dechunk(rest);
        }
        return new Response(status, headers, rest);
    }

    private static byte[] dechunk(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (pos < in.length) {
            int eol = indexOf(java.util.Arrays.copyOfRange(in, pos, in.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            int size = Integer.parseInt(new String(in, pos, eol, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
            pos += eol + 2;
            if (size == 0) {
                break;
            }
            out.write(in, pos, size);
            pos += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<byte[]> r = client.send(b.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), lower(r.headers().map()), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, List<String>> lower(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
