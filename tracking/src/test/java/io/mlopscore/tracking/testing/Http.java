package io.mlopscore.tracking.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mlopscore.common.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP against a running server, for the edges the official client never sends. */
public final class Http {
    /** A response: status, content type, body text, and the body as JSON when it is JSON. */
    public record Response(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error_code").asText(null);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    public Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    public Response post(String path, String body) {
        return post(path, body, "application/json");
    }

    public Response post(String path, JsonNode body) {
        return post(path, body.toString(), "application/json");
    }

    public Response post(String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    /** POST to the MLflow API and require a 200: for setting up a test's data. */
    public JsonNode api(String endpoint, ObjectNode body) {
        Response r = post("/api/2.0/mlflow/" + endpoint, body);
        if (r.status() != 200) {
            throw new AssertionError(endpoint + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    public JsonNode apiGet(String endpointAndQuery) {
        Response r = get("/api/2.0/mlflow/" + endpointAndQuery);
        if (r.status() != 200) {
            throw new AssertionError(endpointAndQuery + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode obj() {
        return Json.object();
    }
}
