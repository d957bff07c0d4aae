package io.mlopscore.tracking.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.mlopscore.tracking.testing.Http.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw HTTP for the registry's endpoints, PATCH and DELETE included, against a running server. */
final class RegistryHttp {
    static final String API = "/api/2.0/mlflow/";
    static final String AJAX = "/ajax-api/2.0/mlflow/";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    RegistryHttp(String base) {
        this.base = base;
    }

    Response get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET());
    }

    Response post(String path, JsonNode body) {
        return send("POST", path, body.toString(), "application/json");
    }

    Response patch(String path, JsonNode body) {
        return send("PATCH", path, body.toString(), "application/json");
    }

    Response delete(String path, JsonNode body) {
        return send("DELETE", path, body.toString(), "application/json");
    }

    /** A DELETE with no body, its parameters in the query string. */
    Response deleteWithQuery(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).DELETE());
    }

    Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b);
    }

    static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
}
