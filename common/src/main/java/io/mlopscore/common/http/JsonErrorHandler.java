package io.mlopscore.common.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error pages (requests refused before they reach a route: a malformed URI, a URI or
 * header block too large, an unknown method) in MLflow's JSON error shape instead of HTML.
 *
 * <pre>{@code
 * config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
 * }</pre>
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) throws IOException {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String message) {
        ErrorCode code = status == 404 ? ErrorCode.ENDPOINT_NOT_FOUND
                : status == 413 || status == 414 || status == 431 ? ErrorCode.RESOURCE_EXHAUSTED
                : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        ObjectNode node = Json.object();
        node.put("error_code", code.name());
        node.put("message", "HTTP " + status + (message == null || message.isBlank() ? "" : ": " + message));
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
